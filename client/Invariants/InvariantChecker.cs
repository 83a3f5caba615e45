using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Client.Histories;
using GrantSim.Client.Hosting;
using GrantSim.Client.Images;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Client.Invariants;

/// <summary>
/// Checks every invariant of SPEC §7 against the real state: the grains' grants, repositories,
/// audit trails and stored objects, plus probes (pulls, pushes and decrypts that must fail or
/// succeed). Reads what the run did from its <see cref="SimulationLedger"/>.
/// </summary>
public sealed partial class InvariantChecker(IGrainFactory grains, World world, SimulationLedger ledger, TimeSpan propagationDelay)
{
    private const int MaxProbes = 25;

    private static readonly HashSet<string> AuthorizingEvents = new(StringComparer.Ordinal)
    {
        KmsOperations.GenerateDataKey, KmsOperations.GenerateDataKeyWithoutPlaintext, KmsOperations.Decrypt, KmsOperations.Encrypt, KmsOperations.DescribeKey,
    };

    private readonly ImageClient _images = new(grains);

    /// <summary>What the last check found of each object's history (for the report).</summary>
    public IReadOnlyList<HistoryVerdict> Histories { get; private set; } = [];

    /// <summary>
    /// Finishes creates and deletes that a crash interrupted, as the repositories' reminders would
    /// within a minute, so that the check sees settled state. Returns how many were pending.
    /// Like every step of the check, it waits for a cluster that just lost a silo to heal
    /// (<see cref="ClusterRetry"/>): finishing pending work is itself safe to repeat.
    /// </summary>
    /// <remarks>
    /// A repository with a lifecycle policy is read as well: a read runs the evaluations the clock made due (a scenario may
    /// have moved the clock without the run reading it), so that the state read next, and not a probe of the check, sees
    /// those expiries (the probe would otherwise be the call that expires the image it pulls).
    /// </remarks>
    public async Task<int> SettleAsync(CancellationToken cancellationToken = default)
    {
        var pending = await ClusterRetry.RunAsync(
            () => PendingWork.ResumeAsync(grains, world.TenantRegions, ledger.Repositories.Select(r => (r.Account, r.Region, r.Name))),
            cancellationToken: cancellationToken);
        foreach (var track in ledger.Repositories.Where(t => t.LifecyclePolicy is not null && t.Live is not null).ToArray())
        {
            var admin = World.Principal(track.Account, track.Region, Roles.Admin);
            await ClusterRetry.RunAsync(async () =>
            {
                try
                {
                    await grains.GetGrain<IEcrServiceGrain>(track.Region).DescribeImages(admin, track.Name);
                }
                catch (AwsServiceException)
                {
                    // Deleted, or refused: nothing of it is due to run then.
                }
            }, cancellationToken: cancellationToken);
        }

        return pending;
    }

    /// <summary>Reads the state of the world's tenants and of every repository name the run used.</summary>
    public Task<StateSnapshot> ReadStateAsync(CancellationToken cancellationToken = default) =>
        ClusterRetry.RunAsync(
            () => StateSnapshot.ReadAsync(grains, world.TenantRegions, ledger.Repositories.Select(r => (r.Account, r.Region, r.Name))),
            cancellationToken: cancellationToken);

    /// <summary>
    /// Checks every invariant against <paramref name="state"/>; the probes may add calls after it was
    /// read. A check cut short by the cluster is run again whole: its probes are reads, or pushes of
    /// throwaway blobs, and safe to repeat.
    /// </summary>
    public Task<InvariantReport> CheckAsync(StateSnapshot state, CancellationToken cancellationToken = default) =>
        ClusterRetry.RunAsync(() => CheckOnceAsync(state), cancellationToken: cancellationToken);

    private async Task<InvariantReport> CheckOnceAsync(StateSnapshot state)
    {
        AdoptUncertainOutcomes(state);
        AdoptLifecycleExpiries(state);
        var results = new List<InvariantResult>
        {
            await EndedGrantsAuthorizeNothing(state),
            DeletedRepositoriesLeaveNoSilentGrants(state),
            LiveRepositoriesHaveTheirTwoGrants(state),
            ConfigurationsNeverChange(state),
            RegionsAndManagedKeys(state),
            await PullsReturnPushedBytes(state),
            await ContextsBindCiphertexts(state),
            await UnusableKeysBlockPulls(state),
            TrailAgreesWithGrants(state),
            HistoriesAreLinearizable(state),
            await ExpiredImagesLeaveNoObjects(state),
            ReplicationsAndCrossAccountPullsAreInTheTrail(state),
            DeletedReplicasLeaveNoSilentGrants(state),
            await ImmutableTagsNeverMove(state),
        };

        // Last: its probe revokes grants, which no check above may see.
        results.Add(await ReplicasDecryptOnlyThroughTheirOwnGrants(state));
        return new InvariantReport(results.OrderBy(r => r.Number).ToArray());
    }

    private async Task<InvariantResult> EndedGrantsAuthorizeNothing(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        foreach (var ((account, region), events) in state.Trails)
        {
            var ended = new Dictionary<string, AuditEvent>(StringComparer.Ordinal);
            foreach (var e in events.OrderBy(e => e.Sequence))
            {
                if (!e.Succeeded || e.GrantId is null)
                {
                    continue;
                }

                if (e.EventName is KmsOperations.RetireGrant or KmsOperations.RevokeGrant)
                {
                    ended.TryAdd(e.GrantId, e);
                }
                else if (AuthorizingEvents.Contains(e.EventName))
                {
                    checkedCount++;
                    if (ended.TryGetValue(e.GrantId, out var end) && e.EventTime >= end.EventTime + propagationDelay)
                    {
                        violations.Add($"{account}/{region}: {e.EventName} #{e.Sequence} was authorized by grant {Short(e.GrantId)}, {end.EventName.Replace("Grant", "d", StringComparison.Ordinal)} at #{end.Sequence}");
                    }
                }
            }
        }

        // Probe: a live KMS repository whose grants have all ended must refuse a push (once the delay has passed).
        if (propagationDelay == TimeSpan.Zero)
        {
            foreach (var repository in state.LiveRepositories.Where(r => KeyOf(r) is not null).Take(MaxProbes * 4))
            {
                var keyArn = KeyOf(repository)!;
                if (state.Keys.GetValueOrDefault(keyArn)?.KeyState != KeyState.Enabled
                    || !repository.Grants.All(g => g.GrantId is not null && state.FindGrant(keyArn, g.GrantId)?.Status is GrantStatus.Revoked or GrantStatus.Retired))
                {
                    continue;
                }

                checkedCount++;
                var outcome = await Try(() => Ecr(repository.Region).UploadBlob(Ci(repository), repository.RepositoryName, Guid.NewGuid().ToByteArray()));
                if (outcome == OperationKinds.Ok)
                {
                    violations.Add($"{repository.Repository!.RepositoryArn}: a push succeeded although both of its grants have ended");
                }
            }
        }

        return Result(1, "A retired or revoked grant authorizes nothing afterwards", checkedCount, violations);
    }

    private static InvariantResult DeletedRepositoriesLeaveNoSilentGrants(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        var liveGrantIds = state.LiveRepositories.SelectMany(r => r.Grants).Select(g => g.GrantId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var ((account, region), reports) in state.Leftovers)
        {
            foreach (var report in reports)
            {
                checkedCount++;
                if (report.Message != EcrMessages.GrantsNotRetired(report.RepositoryName, report.KmsKeyArn))
                {
                    violations.Add($"{report.RepositoryArn}: the leftover report says '{report.Message}', not the documented message");
                }

                foreach (var grantId in report.GrantIds)
                {
                    if (state.FindGrant(report.KmsKeyArn, grantId) is null && state.Keys.GetValueOrDefault(report.KmsKeyArn)?.KeyState != KeyState.Deleted)
                    {
                        violations.Add($"{report.RepositoryArn}: reported grant {Short(grantId)} is not on key {report.KmsKeyArn}");
                    }
                }
            }
        }

        var reported = state.Leftovers.Values.SelectMany(r => r).SelectMany(r => r.GrantIds).ToHashSet(StringComparer.Ordinal);
        foreach (var (keyArn, grants) in state.GrantsByKey)
        {
            if (state.Keys[keyArn].KeyState == KeyState.Deleted)
            {
                continue;
            }

            foreach (var record in grants.Where(g => g.Status == GrantStatus.Active && RepositoryArnOf(g.Grant) is not null))
            {
                checkedCount++;
                if (!liveGrantIds.Contains(record.Grant.GrantId) && !reported.Contains(record.Grant.GrantId))
                {
                    violations.Add($"grant {Short(record.Grant.GrantId)} on {keyArn} for {RepositoryArnOf(record.Grant)} is active, belongs to no live repository and was never reported (leaked)");
                }
            }
        }

        foreach (var repository in state.Repositories.Values.Where(r => r.Status is RepositoryStatus.Creating or RepositoryStatus.Deleting or RepositoryStatus.RollingBack))
        {
            violations.Add($"{repository.Account}/{repository.Region}/{repository.RepositoryName} is left {repository.Status}: half done");
        }

        return Result(2, "Deleting a KMS repository retires both grants, or reports them", checkedCount, violations);
    }

    private static InvariantResult LiveRepositoriesHaveTheirTwoGrants(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        foreach (var repository in state.LiveRepositories)
        {
            checkedCount++;
            var arn = repository.Repository!.RepositoryArn;
            if (KeyOf(repository) is not { } keyArn)
            {
                if (repository.Grants.Count != 0)
                {
                    violations.Add($"{arn} is AES256 but has {repository.Grants.Count} grants");
                }

                continue;
            }

            if (repository.Grants.Count != 2 || repository.Grants.Any(g => g.GrantId is null))
            {
                violations.Add($"{arn} has {repository.Grants.Count(g => g.GrantId is not null)} grants, not 2");
                continue;
            }

            foreach (var grant in repository.Grants)
            {
                var record = state.FindGrant(keyArn, grant.GrantId!);
                if (state.Keys.GetValueOrDefault(keyArn)?.KeyState == KeyState.Deleted)
                {
                    continue;
                }

                // A grant of a live repository may have been revoked or retired by a key administrator:
                // that is an outside act, recorded in the trail, not something ECR did. It must still be there.
                if (record is null)
                {
                    violations.Add($"{arn}: its {grant.Role} grant {Short(grant.GrantId!)} is not on {keyArn}");
                }
                else if (RepositoryArnOf(record.Grant) != arn || record.Grant.GranteePrincipal != Regions.EcrServicePrincipal(repository.Region))
                {
                    violations.Add($"{arn}: its {grant.Role} grant is not ECR's grant for this repository");
                }
            }
        }

        return Result(3, "A live KMS repository has exactly its two grants", checkedCount, violations);
    }

    private InvariantResult ConfigurationsNeverChange(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        foreach (var track in ledger.Repositories)
        {
            var snapshot = state.Repositories.GetValueOrDefault((track.Account, track.Region, track.Name));
            if (track.Live is null)
            {
                // A replica is made by replication, not by the run: replication may create it and then fail to copy the
                // image (a throttled or failing KMS call), so the run never saw it live. Only the run's own need a create.
                if (snapshot?.Status == RepositoryStatus.Active && !track.IsReplica)
                {
                    violations.Add($"{track.Account}/{track.Region}/{track.Name} exists, but no acknowledged create explains it");
                }

                continue;
            }

            checkedCount++;
            if (snapshot?.Repository is not { } live)
            {
                violations.Add($"{track.Live.RepositoryArn} was created and not deleted, but is gone");
            }
            else if (live.CreatedAt != track.Live.CreatedAt || live.EncryptionConfiguration != track.Live.EncryptionConfiguration)
            {
                violations.Add($"{live.RepositoryArn}: created with {track.Live.EncryptionConfiguration}, now {live.EncryptionConfiguration}");
            }
        }

        return Result(4, "The encryption configuration of a repository never changes", checkedCount, violations);
    }

    private static InvariantResult RegionsAndManagedKeys(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        foreach (var repository in state.LiveRepositories)
        {
            checkedCount++;
            var configuration = repository.Repository!.EncryptionConfiguration;
            if (configuration.EncryptionType == EncryptionType.KmsDsse && !Regions.SupportsDualLayerEncryption(repository.Region))
            {
                violations.Add($"{repository.Repository.RepositoryArn} uses KMS_DSSE outside GovCloud");
            }

            if (configuration.KmsKey is { } keyArn && Arn.Parse(keyArn).Region != repository.Region)
            {
                violations.Add($"{repository.Repository.RepositoryArn} uses {keyArn} from another region");
            }
        }

        foreach (var ((account, region), aliases) in state.Aliases)
        {
            checkedCount++;
            var managed = state.Keys.Values.Count(k => k.AwsAccountId == account && k.Region == region && k.KeyManager == KeyManager.Aws);
            if (managed > 1 || aliases.Count(a => a.AliasName == KmsAliases.AwsEcr) > 1)
            {
                violations.Add($"{account}/{region} has {managed} AWS managed ECR keys");
            }
        }

        return Result(5, "Key and repository share a region; KMS_DSSE only in GovCloud; one aws/ecr key", checkedCount, violations);
    }

    private async Task<InvariantResult> PullsReturnPushedBytes(StateSnapshot state)
    {
        var violations = new List<string>(ledger.PullMismatches);
        var checkedCount = 0;
        foreach (var track in ledger.Repositories.Where(t => t.Live is not null && t.Images.Count > 0))
        {
            var snapshot = state.Repositories.GetValueOrDefault((track.Account, track.Region, track.Name));
            if (snapshot?.Repository is null || !Usable(state, snapshot))
            {
                continue;
            }

            foreach (var image in track.Images)
            {
                checkedCount++;
                try
                {
                    var differences = await _images.PullAndCompareAsync(Ci(snapshot), track.Region, track.Name, image);
                    violations.AddRange(differences.Select(d => $"{snapshot.Repository.RepositoryArn}: {d}"));
                }
                catch (AwsServiceException error)
                {
                    violations.Add($"{snapshot.Repository.RepositoryArn}: acknowledged image {image.Tag} cannot be pulled: {OperationLog.OutcomeOf(error)}");
                }
            }
        }

        return Result(6, "What a push acknowledged, a pull returns byte for byte", checkedCount, violations);
    }

    private async Task<InvariantResult> ContextsBindCiphertexts(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        var candidates = state.LiveRepositories.Where(r => KeyOf(r) is not null && r.BlobDigests.Count > 0).Take(MaxProbes).ToArray();
        foreach (var repository in candidates)
        {
            var arn = repository.Repository!.RepositoryArn;
            var digest = repository.BlobDigests[0];
            var stored = await grains.GetGrain<IStoredObjectGrain>(
                GrainKeys.StoredObject(repository.Account, repository.Region, repository.RepositoryName, repository.Incarnation, StoredObjectKind.Blob, digest)).Get();
            if (stored?.DataKey.KmsKeyArn is not { } keyArn)
            {
                violations.Add($"{arn}: blob {digest} has no KMS-wrapped data key");
                continue;
            }

            var right = EcrEncryptionContext.For(stored.ObjectArn, arn);
            var wrongRepository = EcrEncryptionContext.For(stored.ObjectArn, arn + "-other");
            var root = World.Principal(repository.Account, repository.Region, "root");
            var kms = grains.GetGrain<IKmsServiceGrain>(repository.Region);

            checkedCount++;
            if (await Try(() => kms.Decrypt(root, new DecryptRequest(stored.DataKey.Ciphertext, wrongRepository))) == OperationKinds.Ok)
            {
                violations.Add($"{arn}: a data key decrypted under another repository's encryption context");
            }

            var stranger = world.Accounts.FirstOrDefault(a => a != repository.Account);
            if (stranger is not null)
            {
                checkedCount++;
                var strangerRoot = World.Principal(stranger, repository.Region, "root");
                if (await Try(() => kms.Decrypt(strangerRoot, new DecryptRequest(stored.DataKey.Ciphertext, right))) == OperationKinds.Ok)
                {
                    violations.Add($"{arn}: tenant {stranger} decrypted tenant {repository.Account}'s data key");
                }
            }

            // The same call with the right context must work, or the two probes above prove nothing.
            if (state.Keys.GetValueOrDefault(keyArn) is { KeyManager: KeyManager.Customer, KeyState: KeyState.Enabled })
            {
                checkedCount++;
                var outcome = await Try(() => kms.Decrypt(root, new DecryptRequest(stored.DataKey.Ciphertext, right)));
                if (outcome != OperationKinds.Ok)
                {
                    violations.Add($"{arn}: the key owner could not decrypt with the right context ({outcome}), so the probe is broken");
                }
            }
        }

        return Result(7, "Decrypt succeeds only with the same encryption context; no tenant reads another's data", checkedCount, violations);
    }

    private async Task<InvariantResult> UnusableKeysBlockPulls(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        foreach (var track in ledger.Repositories.Where(t => t.Live is not null && t.Images.Count > 0))
        {
            var snapshot = state.Repositories.GetValueOrDefault((track.Account, track.Region, track.Name));
            if (snapshot?.Repository is null || KeyOf(snapshot) is not { } keyArn || state.Keys.GetValueOrDefault(keyArn) is not { } key || key.KeyState == KeyState.Enabled)
            {
                continue;
            }

            checkedCount++;
            var outcome = await Try(() => _images.PullAndCompareAsync(Ci(snapshot), track.Region, track.Name, track.Images[0]));
            var expected = key.KeyState switch
            {
                KeyState.Disabled => $"{AwsErrorCodes.Kms}({AwsErrorCodes.Disabled})",
                KeyState.PendingDeletion or KeyState.PendingImport => $"{AwsErrorCodes.Kms}({AwsErrorCodes.KmsInvalidState})",
                _ => $"{AwsErrorCodes.Kms}({AwsErrorCodes.NotFound})",
            };
            if (outcome != expected && !(outcome.Contains(AwsErrorCodes.AccessDenied, StringComparison.Ordinal) && !snapshot.Grants.Any(g => g.GrantId is not null && state.FindGrant(keyArn, g.GrantId)?.Status == GrantStatus.Active)))
            {
                violations.Add($"{snapshot.Repository.RepositoryArn}: pull with its key {key.KeyState} ended {outcome}, expected {expected}");
            }
        }

        return Result(8, "A disabled or pending-deletion key blocks push and pull; a deleted key's data is gone", checkedCount, violations);
    }

    private static InvariantResult TrailAgreesWithGrants(StateSnapshot state)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        foreach (var (keyArn, grants) in state.GrantsByKey)
        {
            checkedCount++;
            var key = state.Keys[keyArn];
            var events = state.Trails.GetValueOrDefault((key.AwsAccountId, key.Region)) ?? [];
            var ofKey = events.Where(e => e.Succeeded && e.Resources.Contains(keyArn)).ToArray();
            var created = ofKey.Where(e => e.EventName == KmsOperations.CreateGrant).Select(e => e.GrantId!).ToHashSet(StringComparer.Ordinal);
            var retired = ofKey.Count(e => e.EventName == KmsOperations.RetireGrant);
            var revoked = ofKey.Count(e => e.EventName == KmsOperations.RevokeGrant);
            if (!created.SetEquals(grants.Select(g => g.Grant.GrantId)))
            {
                violations.Add($"{keyArn}: the trail shows {created.Count} grants created, the key holds {grants.Count}");
            }

            if (retired != grants.Count(g => g.Status == GrantStatus.Retired) || revoked != grants.Count(g => g.Status == GrantStatus.Revoked))
            {
                violations.Add($"{keyArn}: the trail shows {retired} retired and {revoked} revoked; the key has {grants.Count(g => g.Status == GrantStatus.Retired)} and {grants.Count(g => g.Status == GrantStatus.Revoked)}");
            }
        }

        return Result(9, "The audit trail holds every KMS call and agrees with the grants", checkedCount, violations);
    }

    /// <summary>
    /// Invariant 10: every repository's and every key's history of operations — each with its
    /// invocation and answer, unknown outcomes allowed to have happened or not — is explained by some
    /// sequential order that respects real time (<see cref="LinearizabilityChecker"/>), ending in
    /// the state read now (after pending work was finished). A lost acknowledged push, a repository
    /// that vanished, two creates that both won, a key that left PendingDeletion by itself: each is
    /// an operation no order explains, reported with the shortest sub-history that shows why.
    /// </summary>
    private InvariantResult HistoriesAreLinearizable(StateSnapshot state)
    {
        var entries = ledger.History.Entries();
        var end = entries.Select(e => double.IsPositiveInfinity(e.Returned) ? e.Invoked : e.Returned).DefaultIfEmpty(0).Max() + 1;
        var observations = Observations(state);
        var expiries = LifecycleExpiries(state)
            .GroupBy(e => HistoryOperations.RepositoryPartition(e.Account, e.Region, e.Name), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Digest).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var verdicts = new List<HistoryVerdict>();
        var violations = new List<string>();
        var nextId = entries.Count;
        foreach (var partition in entries.GroupBy(e => e.Partition, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var history = partition.ToList();
            foreach (var digest in expiries.GetValueOrDefault(partition.Key) ?? [])
            {
                history.Add(new HistoryEntry(nextId++, partition.Key, HistoryOperations.ExpireImage, digest, HistoryEntry.UnknownOutcome, 0, double.PositiveInfinity));
            }

            if (observations.TryGetValue(partition.Key, out var observed))
            {
                history.Add(new HistoryEntry(nextId++, partition.Key, HistoryOperations.Observe, observed, HistoryEntry.Ok, end, end));
            }

            var verdict = partition.Key.StartsWith(HistoryOperations.KeyPrefix, StringComparison.Ordinal)
                ? LinearizabilityChecker.Check(history, KeyModel.Instance)
                : LinearizabilityChecker.Check(history, RepositoryModel.Instance);
            verdicts.Add(new HistoryVerdict(partition.Key, history.Count, history.Count(e => e.IsUnknown), verdict));
            if (verdict.Linearizable == false)
            {
                violations.Add($"{partition.Key}: no order of its {history.Count} operations explains {verdict.Culprit}; shortest unexplainable sub-history: "
                    + string.Join("; ", verdict.Witness));
            }
            else if (verdict.Linearizable is null)
            {
                violations.Add($"{partition.Key}: inconclusive — the search spent its budget of {LinearizabilityChecker.DefaultBudget:N0} states on {history.Count} operations");
            }
        }

        Histories = verdicts;
        return Result(10, "Every repository's and key's history is linearizable (unknown outcomes may have happened or not)", entries.Count, violations);
    }

    /// <summary>The state read now of every repository and key, as the histories' Observe operation records it.</summary>
    private static Dictionary<string, string> Observations(StateSnapshot state)
    {
        var observations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ((account, region, name), repository) in state.Repositories)
        {
            var exists = repository.Status == RepositoryStatus.Active;
            observations[HistoryOperations.RepositoryPartition(account, region, name)] =
                RepositoryModelState.Observation(exists, exists ? repository.Images.Select(i => i.ImageDigest) : []);
        }

        foreach (var (arn, key) in state.Keys)
        {
            observations[HistoryOperations.KeyPartition(arn)] = key.KeyState.ToString();
        }

        return observations;
    }

    /// <summary>Where a call got no answer, the real state says whether it happened; what was acknowledged before is still owed.</summary>
    private void AdoptUncertainOutcomes(StateSnapshot state)
    {
        foreach (var track in ledger.Repositories.Where(t => t.Uncertain))
        {
            var live = state.Repositories.GetValueOrDefault((track.Account, track.Region, track.Name))?.Repository;
            if (live is null)
            {
                track.MarkDeleted();
            }
            else if (track.Live is null || track.Live.CreatedAt != live.CreatedAt)
            {
                // Created by an unanswered call (on the frozen clock, creation times can tie, so a live
                // track is never assumed to be a new incarnation): nothing of an older repository is owed.
                track.Created(live);
            }
        }
    }

    // ---- helpers ----

    private static bool Usable(StateSnapshot state, RepositorySnapshot repository) =>
        KeyOf(repository) is not { } keyArn
        || (state.Keys.GetValueOrDefault(keyArn)?.KeyState == KeyState.Enabled
            && repository.Grants.Any(g => g.GrantId is not null && state.FindGrant(keyArn, g.GrantId)?.Status == GrantStatus.Active));

    private static string? KeyOf(RepositorySnapshot repository) => repository.Repository?.EncryptionConfiguration.KmsKey;

    private static string? RepositoryArnOf(GrantListEntry grant) => EcrEncryptionContext.RepositoryArnOf(grant);

    private static CallerIdentity Ci(RepositorySnapshot repository) => World.Principal(repository.Account, repository.Region, Roles.Ci);

    private IEcrServiceGrain Ecr(string region) => grains.GetGrain<IEcrServiceGrain>(region);

    private static async Task<string> Try<T>(Func<Task<T>> action)
    {
        try
        {
            await action();
            return OperationKinds.Ok;
        }
        catch (AwsServiceException error)
        {
            return OperationLog.OutcomeOf(error);
        }
    }

    private static string Short(string grantId) => grantId[..12];

    private static InvariantResult Result(int number, string name, int checkedCount, IReadOnlyList<string> violations) =>
        new(number, name, violations.Count == 0, checkedCount, violations);
}
