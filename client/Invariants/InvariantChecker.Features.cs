using GrantSim.Aws;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Kms;

namespace GrantSim.Client.Invariants;

/// <summary>
/// Invariants 11–15: what the ECR features that touch keys, grants or images must keep (docs/chaos.md): lifecycle
/// expiry leaves no object behind, a replica decrypts only through its own repository's grants, acknowledged
/// replications and cross-account pulls are in the trail, deleted replicas leave no silent grant, immutable tags never move.
/// </summary>
public sealed partial class InvariantChecker
{
    /// <summary>How many replicas the last invariant revokes to show that their own grants are the only way in.</summary>
    private const int MaxReplicaProbes = 3;

    /// <summary>Every image a lifecycle policy expired, as the trail records it (one PolicyExecutionEvent per image).</summary>
    private static IEnumerable<(string Account, string Region, string Name, string Digest)> LifecycleExpiries(StateSnapshot state) =>
        state.Trails.SelectMany(t => t.Value
            .Where(e => e.Succeeded && e.EventName == EcrOperations.PolicyExecutionEvent && e.RequestParameters.RepositoryName is not null && e.RequestParameters.ImageDigest is not null)
            .Select(e => (t.Key.Account, t.Key.Region, e.RequestParameters.RepositoryName!, e.RequestParameters.ImageDigest!)));

    /// <summary>An owed image the trail says a lifecycle policy expired is owed no more (the run may not have read the repository since the clock moved).</summary>
    private void AdoptLifecycleExpiries(StateSnapshot state)
    {
        var expired = LifecycleExpiries(state).ToHashSet();
        foreach (var track in ledger.Repositories.Where(t => t.LifecyclePolicy is not null))
        {
            foreach (var image in track.Images.ToArray())
            {
                if (expired.Contains((track.Account, track.Region, track.Name, image.ManifestDigest)))
                {
                    track.Expire(image.ManifestDigest);
                }
            }
        }
    }

    /// <summary>
    /// Invariant 11: an image a lifecycle policy expired is gone from the repository and from storage — its manifest object,
    /// and every blob no owed image of the repository still references — and the trail holds its PolicyExecutionEvent.
    /// </summary>
    private async Task<InvariantResult> ExpiredImagesLeaveNoObjects(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        var recorded = LifecycleExpiries(state).ToHashSet();
        foreach (var track in ledger.Repositories.Where(t => t.Expired.Count > 0 && t.Live is not null))
        {
            var snapshot = state.Repositories.GetValueOrDefault((track.Account, track.Region, track.Name));
            if (snapshot?.Repository is not { } live || live.CreatedAt != track.Live!.CreatedAt)
            {
                continue;
            }

            var held = snapshot.Images.Select(i => i.ImageDigest).ToHashSet(StringComparer.Ordinal);
            var shared = track.Images.SelectMany(i => i.Blobs).Select(b => b.Digest).ToHashSet(StringComparer.Ordinal);
            foreach (var image in track.Expired)
            {
                checkedCount++;
                var where = $"{live.RepositoryArn}: expired image {image.ManifestDigest[..19]}";
                if (held.Contains(image.ManifestDigest))
                {
                    violations.Add($"{where} is still in the repository");
                }

                if (!recorded.Contains((track.Account, track.Region, track.Name, image.ManifestDigest)))
                {
                    violations.Add($"{where} left the repository without a PolicyExecutionEvent in the trail");
                }

                if (await StoredObject(snapshot, StoredObjectKind.Manifest, image.ManifestDigest) is not null)
                {
                    violations.Add($"{where}: its manifest object is still in storage");
                }

                foreach (var blob in image.Blobs.Where(b => !shared.Contains(b.Digest)))
                {
                    if (snapshot.BlobDigests.Contains(blob.Digest) || await StoredObject(snapshot, StoredObjectKind.Blob, blob.Digest) is not null)
                    {
                        violations.Add($"{where}: its blob {blob.Digest[..19]}, which no live image shares, is still in storage");
                    }
                }
            }
        }

        return Result(11, "An expired image's objects are gone (unless a live image shares a blob), and the trail records the expiry", checkedCount, violations);
    }

    /// <summary>
    /// Invariant 12: a replica repository is encrypted under its own Region's key: its stored data keys are wrapped under the
    /// destination repository's key, its two grants are ECR's grants for the destination repository, and — the probe, run
    /// last — once those grants are revoked a pull from the destination fails while the source still pulls.
    /// </summary>
    private async Task<InvariantResult> ReplicasDecryptOnlyThroughTheirOwnGrants(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        var probes = new List<(RepositoryTrack Replica, RepositorySnapshot Destination, RepositorySnapshot Source, string KeyArn)>();
        foreach (var replica in ledger.Repositories.Where(t => t.IsReplica && t.Live is not null && t.Images.Count > 0))
        {
            var destination = state.Repositories.GetValueOrDefault((replica.Account, replica.Region, replica.Name));
            if (destination?.Repository is not { } live || KeyOf(destination) is not { } keyArn)
            {
                continue;
            }

            checkedCount++;
            var arn = live.RepositoryArn;
            var key = Arn.Parse(keyArn);
            var source = replica.ReplicatedFrom!;
            if (key.Account != replica.Account || key.Region != replica.Region)
            {
                violations.Add($"{arn} is encrypted under {keyArn}, not a key of its own account and Region");
            }

            var sourceSnapshot = state.Repositories.GetValueOrDefault((source.Account, source.Region, source.Name));
            if (sourceSnapshot is not null && KeyOf(sourceSnapshot) == keyArn)
            {
                violations.Add($"{arn} uses its source's key {keyArn}");
            }

            foreach (var grant in destination.Grants.Where(g => g.GrantId is not null))
            {
                if (state.FindGrant(keyArn, grant.GrantId!) is { } record
                    && (RepositoryArnOf(record.Grant) != arn || record.Grant.GranteePrincipal != Regions.EcrServicePrincipal(replica.Region)))
                {
                    violations.Add($"{arn}: its {grant.Role} grant {Short(grant.GrantId!)} is not ECR's grant in {replica.Region} for this repository");
                }
            }

            foreach (var image in replica.Images.Where(i => destination.Images.Any(d => d.ImageDigest == i.ManifestDigest)))
            {
                foreach (var (kind, digest) in image.Blobs.Select(b => (StoredObjectKind.Blob, b.Digest)).Prepend((StoredObjectKind.Manifest, image.ManifestDigest)))
                {
                    checkedCount++;
                    var stored = await StoredObject(destination, kind, digest);
                    if (stored is null)
                    {
                        violations.Add($"{arn}: replicated {kind.ToString().ToLowerInvariant()} {digest[..19]} is not in storage");
                    }
                    else if (stored.DataKey.KmsKeyArn != keyArn)
                    {
                        violations.Add($"{arn}: replicated {kind.ToString().ToLowerInvariant()} {digest[..19]} has its data key wrapped under {stored.DataKey.KmsKeyArn ?? "the storage-managed key"}, not the repository's key {keyArn}");
                    }
                }
            }

            if (sourceSnapshot?.Repository is not null && Usable(state, sourceSnapshot) && Usable(state, destination)
                && destination.Grants.All(g => g.GrantId is not null && state.FindGrant(keyArn, g.GrantId)?.Status == GrantStatus.Active)
                && replica.Images.Any(i => source.Images.Any(s => s.ManifestDigest == i.ManifestDigest)))
            {
                probes.Add((replica, destination, sourceSnapshot, keyArn));
            }
        }

        foreach (var (replica, destination, source, keyArn) in probes.Take(MaxReplicaProbes))
        {
            checkedCount++;
            var arn = destination.Repository!.RepositoryArn;
            var image = replica.Images.First(i => replica.ReplicatedFrom!.Images.Any(s => s.ManifestDigest == i.ManifestDigest));
            var admin = World.Principal(replica.Account, replica.Region, Roles.Admin);
            var kms = grains.GetGrain<IKmsServiceGrain>(replica.Region);
            foreach (var grant in destination.Grants)
            {
                await kms.RevokeGrant(admin, keyArn, grant.GrantId!);
            }

            var replicaPull = await Try(() => _images.PullAndCompareAsync(Ci(destination), replica.Region, replica.Name, image));
            if (replicaPull == OperationKinds.Ok)
            {
                violations.Add($"{arn}: with its own grants revoked, the replica still pulled {image.Tag}: it decrypts through something else");
            }

            var sourcePull = await Try(() => _images.PullAndCompareAsync(Ci(source), source.Region, source.RepositoryName, image));
            if (sourcePull != OperationKinds.Ok)
            {
                violations.Add($"{source.Repository!.RepositoryArn}: revoking its replica's grants broke the source's pull of {image.Tag} ({sourcePull})");
            }
        }

        return Result(12, "A replicated image decrypts in the destination only through the destination's own key and grants", checkedCount, violations);
    }

    /// <summary>Invariant 13: every replication the source acknowledged is a ReplicateImage in the destination's trail; every acknowledged cross-account pull of a KMS repository shows ECR decrypting under the owner's repository context.</summary>
    private InvariantResult ReplicationsAndCrossAccountPullsAreInTheTrail(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        foreach (var replication in ledger.Replications)
        {
            checkedCount++;
            var destination = replication.Destination;
            var trail = state.Trails.GetValueOrDefault((destination.Account, destination.Region)) ?? [];
            if (!trail.Any(e => e.Succeeded && e.EventName == EcrOperations.ReplicateImage
                    && e.RequestParameters.RepositoryName == destination.Name && e.RequestParameters.ImageDigest == replication.ManifestDigest))
            {
                violations.Add($"{destination.Account}/{destination.Region}/{destination.Name}: the replication of {replication.ManifestDigest[..19]} from {replication.Source.Region} was acknowledged but is not in the trail");
            }
        }

        // The repository as it was when pulled: a later incarnation of the same name may be encrypted otherwise.
        foreach (var pull in ledger.CrossAccountPulls.Where(p => p.Incarnation?.EncryptionConfiguration.KmsKey is not null))
        {
            checkedCount++;
            var owner = pull.Owner;
            var arn = pull.Incarnation!.RepositoryArn;
            var trail = state.Trails.GetValueOrDefault((owner.Account, owner.Region)) ?? [];
            if (!trail.Any(e => e.Succeeded && e.EventName == KmsOperations.Decrypt
                    && e.RequestParameters.EncryptionContext?.GetValueOrDefault(EcrEncryptionContext.EcrArnKey) == arn
                    && e.UserIdentity.Principal == Regions.EcrServicePrincipal(owner.Region)))
            {
                violations.Add($"{arn}: {pull.PullerAccount}'s pull of {pull.ManifestDigest[..19]} succeeded, but the trail shows no decrypt by ECR under the repository's context");
            }
        }

        return Result(13, "Acknowledged replications and cross-account pulls are in the trail", checkedCount, violations);
    }

    /// <summary>Invariant 14: a replica repository the run deleted left no active grant unreported (a new incarnation of it keeps its own two).</summary>
    private InvariantResult DeletedReplicasLeaveNoSilentGrants(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        var liveGrantIds = state.LiveRepositories.SelectMany(r => r.Grants).Select(g => g.GrantId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var reported = state.Leftovers.Values.SelectMany(r => r).SelectMany(r => r.GrantIds).ToHashSet(StringComparer.Ordinal);
        foreach (var arn in ledger.DeletedReplicaArns)
        {
            checkedCount++;
            foreach (var (keyArn, grants) in state.GrantsByKey.Where(k => state.Keys[k.Key].KeyState != KeyState.Deleted))
            {
                foreach (var record in grants.Where(g => g.Status == GrantStatus.Active && RepositoryArnOf(g.Grant) == arn))
                {
                    checkedCount++;
                    if (!liveGrantIds.Contains(record.Grant.GrantId) && !reported.Contains(record.Grant.GrantId))
                    {
                        violations.Add($"deleted replica {arn}: grant {Short(record.Grant.GrantId)} on {keyArn} is active and was never reported (leaked)");
                    }
                }
            }
        }

        return Result(14, "Deleting a replica repository retires its two grants, or reports them", checkedCount, violations);
    }

    /// <summary>Invariant 15: a push that would move a tag the repository keeps immutable is refused and stores nothing; one that may move it succeeds.</summary>
    private async Task<InvariantResult> ImmutableTagsNeverMove(StateSnapshot state)
    {
        var violations = new List<string>(ledger.TagMutabilityMismatches);
        var checkedCount = ledger.TagMutabilityMismatches.Count;
        foreach (var track in ledger.Repositories.Where(t => t.RefusedDigests.Count > 0 && t.Live is not null))
        {
            var snapshot = state.Repositories.GetValueOrDefault((track.Account, track.Region, track.Name));
            if (snapshot?.Repository is not { } live || live.CreatedAt != track.Live!.CreatedAt)
            {
                continue;
            }

            foreach (var digest in track.RefusedDigests)
            {
                checkedCount++;
                if (snapshot.Images.Any(i => i.ImageDigest == digest) || await StoredObject(snapshot, StoredObjectKind.Manifest, digest) is not null)
                {
                    violations.Add($"{live.RepositoryArn}: the refused push of {digest[..19]} stored its manifest");
                }
            }
        }

        return Result(15, "A push that would move an immutable tag is refused and stores nothing", checkedCount, violations);
    }

    private Task<StoredObject?> StoredObject(RepositorySnapshot repository, StoredObjectKind kind, string digest) =>
        grains.GetGrain<IStoredObjectGrain>(GrainKeys.StoredObject(repository.Account, repository.Region, repository.RepositoryName, repository.Incarnation, kind, digest)).Get();
}
