using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;
using GrantSim.Telemetry;
using Microsoft.Extensions.Logging;

namespace GrantSim.Ecr;

/// <summary>
/// Replication, both ends. As a source: a push whose repository a replication rule matches puts one entry per destination
/// in the repository's outbox (<see cref="RepositoryState.Replications"/>) in the same write as nothing else — before the
/// image itself is stored — and a reminder stands until the outbox is empty, so a replication is never lost; the
/// <see cref="IReplicationWorkerGrain"/> delivers it. As a destination: a replica is stored under this repository's own
/// encryption (its key, its grants, its data keys and encryption contexts), into a repository created, when missing, from
/// the creation template that applies to replication, or with AES256 when none does. Delivery is idempotent (blobs and
/// images are keyed by digest), so a delivery repeated after a crash duplicates nothing.
/// </summary>
public sealed partial class RepositoryGrain : IRepositoryReplicationGrain
{
    private const string ReplicationReminder = "replicate-images";
    private bool _replicationReminderMayExist = true;

    // ---- source ----

    /// <summary>Called by PutImage before it stores the image: queues the image for every destination a rule gives this repository.</summary>
    private async Task QueueReplication(ImageEntry image, string? tag)
    {
        var configuration = await GrainFactory.GetGrain<IRegistryGrain>(RegistryKey).CurrentReplication();
        var destinations = ReplicationRules.DestinationsFor(configuration, _name);
        if (destinations.Count == 0)
        {
            return;
        }

        await EnsureReplicationReminder();
        await Save(Repository with
        {
            Replications = ImageReplications.Queue(Repository.Replications, image.ManifestDigest, tag, destinations, Guid.NewGuid, clock.UtcNow),
        });
        await Passed(CrashPoints.ReplicationQueued);

        // One-way: the worker's first call to this grain waits until this push's turn has ended (and its image is stored).
        await KickReplication();
    }

    private Task KickReplication() => GrainFactory.GetGrain<IReplicationWorkerGrain>(this.GetPrimaryKeyString()).Kick();

    /// <summary>The reminder's tick: hands what is still in progress to the worker again, or clears itself when nothing is.</summary>
    private async Task ResumeReplication()
    {
        _replicationReminderMayExist = true;
        if (ImageReplications.Pending(Repository.Replications).Count == 0)
        {
            await ClearReplicationReminder();
            return;
        }

        await KickReplication();
    }

    public Task<IReadOnlyList<Guid>> PendingReplications() => Task.FromResult(ImageReplications.Pending(Repository.Replications));

    public async Task<ReplicaImage?> PrepareReplica(Guid replicationId)
    {
        await ResumePendingWork();
        var entry = Repository.Replications.Find(r => r.Id == replicationId);
        if (entry is not { State: ReplicationState.InProgress })
        {
            return null;
        }

        if (Repository.Status != RepositoryStatus.Active || !Repository.Images.TryGetValue(entry.ImageDigest, out var image))
        {
            // The push never stored its image (it failed or crashed after queueing), or the image was deleted since: nothing to send.
            await Save(Repository with { Replications = ImageReplications.Drop(Repository.Replications, replicationId) });
            await ClearReplicationReminderWhenDrained();
            return null;
        }

        // A tag that has since moved to another image goes with that image's own replication, not with this one.
        var tag = entry.ImageTag is { } t && Repository.Tags.GetValueOrDefault(t) == entry.ImageDigest ? t : null;
        var manifest = await _objects.Load(Repository, StoredObjectKind.Manifest, entry.ImageDigest, EcrOperations.ReplicateImage);
        var blobs = new List<ReplicaBlob>();
        foreach (var digest in image.LayerDigests.Append(image.ConfigDigest).OfType<string>().Distinct())
        {
            blobs.Add(new ReplicaBlob(digest, await _objects.Load(Repository, StoredObjectKind.Blob, digest, EcrOperations.ReplicateImage)));
        }

        return new ReplicaImage(entry.Id, RepositoryArn, entry.ImageDigest, tag, image.MediaType, manifest, blobs, entry.Destination);
    }

    public async Task RecordReplicationOutcome(Guid replicationId, string? errorCode)
    {
        var next = ImageReplications.Record(Repository.Replications, replicationId, errorCode);
        if (!ReferenceEquals(next, Repository.Replications))
        {
            await Save(Repository with { Replications = next });
            await Passed(CrashPoints.ReplicationRecorded);
        }

        await ClearReplicationReminderWhenDrained();
    }

    public Task<(ImageIdentifier Image, IReadOnlyList<ImageReplicationStatus> Statuses)> DescribeImageReplicationStatus(CallerIdentity caller, ImageIdentifier image) =>
        ActiveOperation(caller, EcrOperations.DescribeImageReplicationStatus, () =>
        {
            var entry = RepositoryLifecycle.FindImage(Repository, _account, _name, image);
            return Task.FromResult<(ImageIdentifier, IReadOnlyList<ImageReplicationStatus>)>(
                (new ImageIdentifier(entry.ManifestDigest, image.ImageTag), ImageReplications.StatusOf(Repository.Replications, entry.ManifestDigest)));
        });

    private async Task EnsureReplicationReminder()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ReplicationReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
        catch (Exception error) when (error is not AwsServiceException)
        {
            GrantSimLog.ReminderUnavailable(logger, RepositoryArn, error.GetType().Name);
            throw new AwsServiceException(AwsErrorCodes.Server, "ECR could not take on this push now (its replication reminder is unavailable); nothing was changed. Try again.");
        }

        _replicationReminderMayExist = true;
    }

    private Task ClearReplicationReminderWhenDrained() =>
        ImageReplications.Pending(Repository.Replications).Count == 0 ? ClearReplicationReminder() : Task.CompletedTask;

    private async Task ClearReplicationReminder()
    {
        if (!_replicationReminderMayExist)
        {
            return;
        }

        try
        {
            if (await this.GetReminder(ReplicationReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _replicationReminderMayExist = false;
        }
        catch (Exception error) when (error is not AwsServiceException)
        {
            // The outbox is empty and stored; a reminder left behind fires, finds nothing, and is cleared then.
            GrantSimLog.ReminderUnavailable(logger, RepositoryArn, error.GetType().Name);
        }
    }

    // ---- destination ----

    public async Task ReceiveReplica(CallerIdentity replicator, ReplicaImage replica)
    {
        await ResumePendingWork();
        var parameters = new AuditRequestParameters { RepositoryName = _name, ImageDigest = replica.ImageDigest, ImageTag = replica.ImageTag };
        await Audited(replicator, EcrOperations.ReplicateImage, parameters, async () =>
        {
            var registry = GrainFactory.GetGrain<IRegistryGrain>(RegistryKey);
            var crossAccount = replicator.Account != _account;
            if (crossAccount && !await registry.AllowsReplication(replicator, EcrOperations.Action(EcrOperations.ReplicateImage), RepositoryArn))
            {
                throw new AwsServiceException(AwsErrorCodes.AccessDenied,
                    $"The registry policy of {_account} in {_region} does not allow {replicator.Principal} to perform: ecr:ReplicateImage on resource: {RepositoryArn}");
            }

            if (Repository.Status == RepositoryStatus.Absent)
            {
                if (crossAccount && !await registry.AllowsReplication(replicator, EcrOperations.Action(EcrOperations.CreateRepository), RepositoryArn))
                {
                    throw new AwsServiceException(AwsErrorCodes.RepositoryNotFound,
                        $"The repository with name '{_name}' does not exist in the registry with id '{_account}', and its registry policy does not allow {replicator.Principal} to perform: ecr:CreateRepository");
                }

                await CreateForReplication(registry);
            }

            RepositoryLifecycle.RequireActive(Repository, _account, _name);
            await StoreReplica(replica);
            return true;
        });
    }

    /// <summary>Creates this repository as ECR does for replication: the template that applies (its encryption, custom role, tags, tag mutability, repository and lifecycle policies), else AES256 as the replication role.</summary>
    private async Task CreateForReplication(IRegistryGrain registry)
    {
        var template = await registry.TemplateFor(_name, RepositoryCreationTemplate.Replication);
        var requested = template?.EncryptionConfiguration ?? EncryptionConfiguration.Aes256;
        var creator = template?.CustomRoleArn is { } role
            ? new CallerIdentity(role)
            : RegistryPolicies.ReplicationRole(Regions.PartitionOf(_region), _account);
        var parameters = new AuditRequestParameters { RepositoryName = _name, EncryptionType = requested.EncryptionType.ToWire(), KeyId = requested.KmsKey };
        await Audited(creator.Via(Ecr.Principal), EcrOperations.CreateRepository, parameters, async () =>
        {
            var configuration = RepositoryLifecycle.ValidateCreate(Repository, _account, _region, _name, requested);
            if (!configuration.EncryptionType.UsesKms())
            {
                await GrainFactory.GetGrain<IRepositoryRegistryGrain>(RegistryKey).Add(_name);
                await Save(CreationTemplates.ApplyTo(RepositoryLifecycle.CreateAes256(Guid.NewGuid(), clock.UtcNow, creator.Principal), template, clock.UtcNow));
                metrics.RepositoryCreated(_account, _region, configuration.EncryptionType);
                return true;
            }

            var key = await DescribeKeyForCreate(creator, configuration.KmsKey);
            EcrKmsRules.RequireCreatorMayRetire(key, creator,
                key.KeyManager == KeyManager.Aws || await identityPolicies.Allow(creator, KmsOperations.Action(KmsOperations.RetireGrant), key.Arn));
            await EnsureReminder();
            await Save(CreationTemplates.ApplyTo(RepositoryLifecycle.BeginKmsCreate(configuration.EncryptionType, key.Arn, Guid.NewGuid(), clock.UtcNow, creator.Principal), template, clock.UtcNow));
            await Passed(CrashPoints.CreateBegun);
            await RunCreateSteps();
            return true;
        });
    }

    /// <summary>Seals and stores what the replica brings that this repository lacks, then the image and its tag: each step stored, each repeatable.</summary>
    private async Task StoreReplica(ReplicaImage replica)
    {
        foreach (var blob in replica.Blobs)
        {
            if (Repository.Blobs.ContainsKey(blob.Digest))
            {
                continue;
            }

            if (ContentDigest.Sha256(blob.Content) != blob.Digest)
            {
                throw new AwsServiceException(AwsErrorCodes.InvalidLayer, $"The replicated layer {blob.Digest} does not have that digest.");
            }

            await _objects.Store(Repository, StoredObjectKind.Blob, blob.Digest, blob.Content, EcrOperations.ReplicateImage);
            await Passed(CrashPoints.BlobObjectStored);
            await Save(RepositoryLifecycle.AddBlob(Repository, new BlobEntry(blob.Digest, blob.Content.LongLength, StoredObjectKind.Blob)));
        }

        var parsed = ImageManifests.Parse(replica.Manifest, replica.MediaType);
        RepositoryLifecycle.RequireReferencesPresent(Repository, parsed);
        var digest = RepositoryLifecycle.ManifestDigest(replica.Manifest);
        if (digest != replica.ImageDigest)
        {
            throw new AwsServiceException(AwsErrorCodes.ImageDigestDoesNotMatch, $"The replicated manifest's digest is {digest}, not {replica.ImageDigest}.");
        }

        if (Repository.Images.ContainsKey(digest) && (replica.ImageTag is null || Repository.Tags.GetValueOrDefault(replica.ImageTag) == digest))
        {
            ReplicationLog.AlreadyReplicated(logger, RepositoryArn, digest);
            return;
        }

        var image = Repository.Images.GetValueOrDefault(digest)
            ?? new ImageEntry(digest, parsed.MediaType, replica.Manifest.LongLength, parsed.ConfigDigest, parsed.LayerDigests, clock.UtcNow);
        if (!Repository.Images.ContainsKey(digest))
        {
            await _objects.Store(Repository, StoredObjectKind.Manifest, digest, replica.Manifest, EcrOperations.ReplicateImage);
            await Passed(CrashPoints.ManifestObjectStored);
        }

        await Save(RepositoryLifecycle.PutImage(Repository, image, replica.ImageTag));
    }
}

internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 260, Level = LogLevel.Debug, Message = "{Repository} already holds the replica {Digest}: delivered again after a crash or a retry")]
    public static partial void AlreadyReplicated(ILogger logger, string repository, string digest);

    [LoggerMessage(EventId = 261, Level = LogLevel.Warning, Message = "Replicating {Repository}'s {ReplicationId} stopped ({Failure}); it stays in the outbox for the reminder")]
    public static partial void DeliveryInterrupted(ILogger logger, string repository, Guid replicationId, string failure);
}
