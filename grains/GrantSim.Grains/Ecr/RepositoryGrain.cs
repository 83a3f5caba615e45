using System.Collections.Frozen;
using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Iam;
using GrantSim.Identity;
using GrantSim.Kms;
using GrantSim.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Serialization.Invocation;

namespace GrantSim.Ecr;

[GenerateSerializer, Alias("GrantSim.Ecr.RepositoryGrainState")]
public sealed class RepositoryGrainState
{
    [Id(0)] public RepositoryState Repository { get; set; } = RepositoryState.Absent;
}

/// <summary>
/// One repository name. Loads its state, lets <see cref="RepositoryLifecycle"/> decide each step,
/// persists after every step of a create or delete, and talks to KMS, storage and the registry.
/// A reminder stands while a create or delete is unfinished, so that a crash mid-way is resumed
/// on whichever silo activates the grain next, even if no caller comes back.
/// </summary>
public sealed partial class RepositoryGrain(
    [PersistentState("repository", StorageNames.Default)] IPersistentState<RepositoryGrainState> state,
    SimulationClock clock,
    GrantSimMetrics metrics,
    ICrashPoints crashPoints,
    AuditWriter auditWriter,
    IdentityPolicies identityPolicies,
    ILogger<RepositoryGrain> logger) : Grain, IRepositoryGrain, IRemindable, IAwsRequestGrain
{
    private const string ResumeReminder = "resume-pending-work";

    private string _account = "";
    private string _region = "";
    private string _name = "";
    private RepositoryObjects _objects = null!;
    private bool _reminderMayExist;

    private RepositoryState Repository => state.State.Repository;

    private string RepositoryArn => RepositoryLifecycle.Arn(_account, _region, _name);

    private CallerIdentity Ecr => CallerIdentity.Service(Regions.EcrServicePrincipal(_region));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_account, _region, _name) = GrainKeys.Split(this.GetPrimaryKeyString());
        _reminderMayExist = Repository.HasPendingWork;
        _objects = new RepositoryObjects(GrainFactory, _account, _region, _name);
        return Task.CompletedTask;
    }

    // ---- create ----

    public async Task<RepositoryDescription> Create(CallerIdentity caller, EncryptionConfiguration? encryptionConfiguration, RepositorySettings? settings = null)
    {
        var stalled = await FinishPendingWork();
        var parameters = new AuditRequestParameters
        {
            RepositoryName = _name, EncryptionType = encryptionConfiguration?.EncryptionType.ToWire(), KeyId = encryptionConfiguration?.KmsKey,
            TagKeys = settings is { ResourceTags.Count: > 0 } ? [.. settings.ResourceTags.Keys] : null,
        };
        return await Audited(caller, EcrOperations.CreateRepository, parameters, async () =>
        {
            await Authorize(caller, EcrOperations.CreateRepository);
            var created = await AuthorizeCreateSettings(caller, settings);
            if (Repository.Status == RepositoryStatus.RollingBack && stalled is not null)
            {
                // An earlier failed create of this name is still being undone: the repository does not
                // exist (so not RepositoryAlreadyExists), and it cannot be made until KMS lets the rollback finish.
                throw EcrKmsRules.KmsException(EcrOperations.CreateRepository, stalled);
            }

            var configuration = RepositoryLifecycle.ValidateCreate(Repository, _account, _region, _name, encryptionConfiguration);
            if (!configuration.EncryptionType.UsesKms())
            {
                await GrainFactory.GetGrain<IRepositoryRegistryGrain>(RegistryKey).Add(_name);
                await Save(RepositoryLifecycle.CreateAes256(Guid.NewGuid(), clock.UtcNow, caller.Principal) with { Settings = created });
                metrics.RepositoryCreated(_account, _region, configuration.EncryptionType);
                return Describe();
            }

            var key = await DescribeKeyForCreate(caller, configuration.KmsKey);
            EcrKmsRules.RequireCreatorMayRetire(key, caller,
                key.KeyManager == KeyManager.Aws || await identityPolicies.Allow(caller, KmsOperations.Action(KmsOperations.RetireGrant), key.Arn));

            await EnsureReminder();
            await Save(RepositoryLifecycle.BeginKmsCreate(configuration.EncryptionType, key.Arn, Guid.NewGuid(), clock.UtcNow, caller.Principal) with { Settings = created });
            await Passed(CrashPoints.CreateBegun);
            await RunCreateSteps();
            return Describe();
        });
    }

    /// <summary>Resolves the key as ECR does (the default key is created on first use), checks its region, and calls DescribeKey as the caller.</summary>
    private async Task<KeyMetadata> DescribeKeyForCreate(CallerIdentity caller, string? kmsKey)
    {
        if (kmsKey is not null && Arn.TryParse(kmsKey, out var arn) && arn.Service == "kms")
        {
            RepositoryLifecycle.RequireKeyInRegion(kmsKey, _region);
        }

        var viaEcr = caller.Via(Ecr.Principal);
        try
        {
            var reference = kmsKey ?? await GrainFactory.GetGrain<IKeyRegistryGrain>(RegistryKey).EnsureAwsManagedEcrKey(caller);
            var metadata = await GrainFactory.GetGrain<IKmsServiceGrain>(_region).DescribeKey(viaEcr, reference);
            RepositoryLifecycle.RequireKeyInRegion(metadata.Arn, _region);
            return metadata;
        }
        catch (AwsServiceException error) when (error.ErrorCode != AwsErrorCodes.InvalidParameter)
        {
            throw EcrKmsRules.KmsException(EcrOperations.CreateRepository, error);
        }
    }

    /// <summary>Creates whichever grants are still missing (names make this idempotent), then activates. On failure, rolls back and reports KmsException.</summary>
    private async Task RunCreateSteps()
    {
        var keyArn = Repository.KmsKeyArn;
        var creator = new CallerIdentity(Repository.CreatorPrincipal).Via(Ecr.Principal);
        foreach (var slot in Repository.Grants.Where(g => g.GrantId is null).ToArray())
        {
            CreateGrantResponse grant;
            try
            {
                grant = await Key(keyArn).CreateGrant(creator, RepositoryGrants.Request(_region, keyArn, RepositoryArn, slot.Name));
            }
            catch (AwsServiceException error)
            {
                await Save(RepositoryLifecycle.BeginRollback(Repository));
                await Passed(CrashPoints.RollbackBegun);
                try
                {
                    await RunRollbackSteps();
                }
                catch (AwsServiceException)
                {
                    // The rollback stays pending (the reminder or the next call finishes it); the caller hears why the create failed.
                }

                throw EcrKmsRules.KmsException(EcrOperations.CreateRepository, error);
            }

            await Save(RepositoryLifecycle.RecordGrantCreated(Repository, slot.Role, grant.GrantId, grant.GrantToken));
            await Passed(CrashPoints.CreateGrantRecorded);
        }

        await GrainFactory.GetGrain<IRepositoryRegistryGrain>(RegistryKey).Add(_name);
        await Passed(CrashPoints.CreateRegistered);
        await Save(RepositoryLifecycle.CompleteCreate(Repository));
        metrics.RepositoryCreated(_account, _region, Repository.EncryptionConfiguration.EncryptionType);
        await ClearReminder();
    }

    /// <summary>
    /// Retires the grants a failed create made, as ECR (their retiring principal, so this is always
    /// allowed). A grant already gone (retired or revoked by someone else, its key deleted) counts as
    /// retired. Any other failure leaves the rollback pending for the reminder and is thrown.
    /// </summary>
    private async Task RunRollbackSteps()
    {
        var keyArn = Repository.KmsKeyArn;
        await AdoptUnrecordedGrants(keyArn);
        foreach (var slot in RepositoryLifecycle.GrantsToRetire(Repository).ToArray())
        {
            try
            {
                await Key(keyArn).RetireGrant(Ecr, new RetireGrantRequest(KeyId: keyArn, GrantId: slot.GrantId), slot.CreatedGrantId);
            }
            catch (AwsServiceException error) when (EcrKmsRules.ClassifyRetireFailure(error, attempt: 1) != RetireFailure.AlreadyGone)
            {
                GrantSimLog.RollbackRetireFailed(logger, RepositoryArn, slot.GrantId, error.ErrorCode);
                throw;
            }
            catch (AwsServiceException)
            {
                // Already gone: what the rollback wanted. (Letting this NotFound escape left the rollback pending for ever.)
            }

            await Save(RepositoryLifecycle.RecordGrantRetired(Repository, slot.Role));
            await Passed(CrashPoints.RollbackGrantRetired);
        }

        await GrainFactory.GetGrain<IRepositoryRegistryGrain>(RegistryKey).Remove(_name, null);
        await Save(RepositoryLifecycle.CompleteRollback(Repository));
        await ClearReminder();
    }

    /// <summary>
    /// A CreateGrant whose answer was lost may still have made its grant: ECR knows the names it gives its
    /// grants, and looks among the grants it may retire on the key for those of the slots it never recorded.
    /// (Found by the crash-point property: a crash right after the key stored a grant, then a failed resume,
    /// left that grant active for a repository that never existed.)
    /// </summary>
    private async Task AdoptUnrecordedGrants(string keyArn)
    {
        if (RepositoryLifecycle.HasUnrecordedGrants(Repository))
        {
            var adopted = RepositoryLifecycle.AdoptUnrecordedGrants(Repository, await Key(keyArn).GetRetirableGrants(Ecr.Principal));
            if (!ReferenceEquals(adopted, Repository))
            {
                await Save(adopted);
            }
        }
    }

    // ---- delete ----

    public async Task<RepositoryDescription> Delete(CallerIdentity caller, bool force)
    {
        await ResumePendingWork();
        var parameters = new AuditRequestParameters { RepositoryName = _name, Force = force };
        return await Audited(caller, EcrOperations.DeleteRepository, parameters, async () =>
        {
            await Authorize(caller, EcrOperations.DeleteRepository);
            var description = RepositoryLifecycle.Describe(Repository, _account, _region, _name);
            var deleting = RepositoryLifecycle.BeginDelete(Repository, _account, _name, caller.Principal, force, clock.UtcNow);
            await EnsureReminder();
            await Save(deleting);
            await Passed(CrashPoints.DeleteBegun);
            var leftover = await RunDeleteSteps();
            return leftover is null
                ? description
                : throw new AwsServiceException(AwsErrorCodes.Kms, leftover.Message, leftover.KmsError);
        });
    }

    /// <summary>Deletes the objects, retires both grants as the deleter, then frees the name; every step is recorded so a crash resumes where it stopped.</summary>
    private async Task<LeftoverGrantReport?> RunDeleteSteps()
    {
        if (!Repository.DeletionProgress.ObjectsDeleted)
        {
            await _objects.DeleteAll(Repository);
            await Save(RepositoryLifecycle.RecordObjectsDeleted(Repository));
            await Passed(CrashPoints.DeleteObjectsDeleted);
        }

        if (!Repository.DeletionProgress.GrantsSettled)
        {
            var deleter = new CallerIdentity(Repository.DeletionProgress.Deleter).Via(Ecr.Principal);
            foreach (var slot in RepositoryLifecycle.GrantsToRetire(Repository).ToArray())
            {
                var failure = await TryRetire(deleter, slot);
                if (failure is not null)
                {
                    GrantSimLog.GrantLeftOver(logger, RepositoryArn, slot.GrantId, failure);
                    metrics.GrantLeftOver(_account, _region);
                }

                await Save(failure is null
                    ? RepositoryLifecycle.RecordGrantRetired(Repository, slot.Role)
                    : RepositoryLifecycle.RecordRetireFailed(Repository, slot.Role, failure));
                await Passed(CrashPoints.DeleteGrantSettled);
            }

            await Save(RepositoryLifecycle.SettleGrants(Repository, _account, _region, _name, clock.UtcNow));
            await Passed(CrashPoints.DeleteGrantsSettled);
        }

        var leftover = Repository.DeletionProgress.Leftover;
        var encryptionType = Repository.EncryptionConfiguration.EncryptionType;
        await GrainFactory.GetGrain<IRepositoryRegistryGrain>(RegistryKey).Remove(_name, leftover);
        await Passed(CrashPoints.DeleteUnregistered);
        await Save(RepositoryLifecycle.CompleteDelete(Repository));
        metrics.RepositoryDeleted(_account, _region, encryptionType);
        await ClearReminder();
        return leftover;
    }

    /// <summary>Retires one grant as <see cref="EcrKmsRules.ClassifyRetireFailure"/> says; returns the error code that made it fail for good, or null.</summary>
    private async Task<string?> TryRetire(CallerIdentity deleter, RepositoryGrantSlot slot)
    {
        var keyArn = Repository.KmsKeyArn;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Key(keyArn).RetireGrant(deleter, new RetireGrantRequest(KeyId: keyArn, GrantId: slot.GrantId), slot.CreatedGrantId);
                return null;
            }
            catch (AwsServiceException error)
            {
                switch (EcrKmsRules.ClassifyRetireFailure(error, attempt))
                {
                    case RetireFailure.AlreadyGone:
                        return null;
                    case RetireFailure.LeftBehind:
                        return error.ErrorCode;
                    default:
                        GrantSimLog.RetireRetry(logger, slot.GrantId, RepositoryArn, error.ErrorCode, attempt);
                        break;
                }
            }
        }
    }

    // ---- images ----

    public Task<BlobDescriptor> UploadBlob(CallerIdentity caller, [Immutable] byte[] content, string? expectedDigest = null) =>
        ActiveOperation(caller, EcrOperations.CompleteLayerUpload, async () =>
        {
            var digest = ContentDigest.Sha256(content);
            if (expectedDigest is not null && expectedDigest != digest)
            {
                throw new AwsServiceException(AwsErrorCodes.InvalidLayer,
                    $"The layer digest calculated by Amazon ECR ({digest}) does not match the digest specified ({expectedDigest}).");
            }

            if (!Repository.Blobs.ContainsKey(digest))
            {
                await _objects.Store(Repository, StoredObjectKind.Blob, digest, content, EcrOperations.CompleteLayerUpload);
                await Passed(CrashPoints.BlobObjectStored);
                await Save(RepositoryLifecycle.AddBlob(Repository, new BlobEntry(digest, content.LongLength, StoredObjectKind.Blob)));
            }

            metrics.Pushed(_account, _region, content.LongLength);
            return new BlobDescriptor(digest, content.LongLength);
        });

    public Task<IReadOnlyList<BlobDescriptor?>> CheckBlobs(CallerIdentity caller, IReadOnlyList<string> digests) =>
        ActiveOperation(caller, EcrOperations.BatchCheckLayerAvailability, () => Task.FromResult<IReadOnlyList<BlobDescriptor?>>(
            digests.Select(d => Repository.Blobs.TryGetValue(d, out var blob) ? new BlobDescriptor(blob.Digest, blob.Size) : null).ToArray()));

    public Task<Immutable<byte[]>> GetBlob(CallerIdentity caller, string digest) =>
        ActiveOperation(caller, EcrOperations.GetDownloadUrlForLayer, async () =>
        {
            if (!Repository.Blobs.ContainsKey(digest))
            {
                throw new AwsServiceException(AwsErrorCodes.LayersNotFound, $"The layer {digest} was not found in the repository '{_name}'.");
            }

            var content = await _objects.Load(Repository, StoredObjectKind.Blob, digest, EcrOperations.GetDownloadUrlForLayer);
            metrics.Pulled(_account, _region, content.LongLength);
            // Nobody keeps or changes the opened layer after this: handed on without a copy per grain hop.
            return content.AsImmutable();
        });

    public Task<ImageDetail> PutImage(CallerIdentity caller, byte[] manifest, string mediaType, string? tag) =>
        ActiveOperation(caller, EcrOperations.PutImage, async () =>
        {
            RepositoryLifecycle.ValidateTag(tag);
            var parsed = ImageManifests.Parse(manifest, mediaType);
            RepositoryLifecycle.RequireReferencesPresent(Repository, parsed);
            var digest = RepositoryLifecycle.ManifestDigest(manifest);
            if (Repository.Images.GetValueOrDefault(digest) is { Archived: true } archived)
            {
                // Pushing an archived image again restores it (the ECR User Guide), as UpdateImageStorageClass STANDARD does.
                TagMutability.RequireTagMayMove(Repository, _name, digest, tag);
                var restored = ImageStorage.Restore(archived, clock.UtcNow);
                await Save(RepositoryLifecycle.PutImage(Repository with { Images = Repository.Images.SetItem(digest, restored) }, restored, tag));
                return RepositoryLifecycle.Detail(Repository, restored, clock.UtcNow);
            }

            RepositoryLifecycle.RequireNotAlreadyPushed(Repository, digest, tag);
            TagMutability.RequireTagMayMove(Repository, _name, digest, tag);
            var image = Repository.Images.GetValueOrDefault(digest)
                ?? ImageEntry.From(digest, manifest.LongLength, parsed, clock.UtcNow);
            if (!Repository.Images.ContainsKey(digest))
            {
                await _objects.Store(Repository, StoredObjectKind.Manifest, digest, manifest, EcrOperations.PutImage);
                await Passed(CrashPoints.ManifestObjectStored);
            }

            await QueueReplication(image, tag);
            await Save(RepositoryLifecycle.PutImage(Repository, image, tag));
            metrics.Pushed(_account, _region, manifest.LongLength);
            return RepositoryLifecycle.Detail(Repository, image, clock.UtcNow);
        });

    public Task<ImageManifest> GetImage(CallerIdentity caller, ImageIdentifier image) => GetImageAccepting(caller, image, acceptedMediaTypes: null);

    public Task<IReadOnlyList<ImageDetail>> DescribeImages(CallerIdentity caller) =>
        ActiveOperation(caller, EcrOperations.DescribeImages, () => Task.FromResult(ImagesInPushOrder()));

    public Task<ImageIdentifier> DeleteImage(CallerIdentity caller, ImageIdentifier image) =>
        ActiveOperation(caller, EcrOperations.BatchDeleteImage, async () =>
        {
            var entry = RepositoryLifecycle.FindImage(Repository, _account, _name, image);
            var next = RepositoryLifecycle.DeleteImage(Repository, _account, _name, image);
            if (!next.Images.ContainsKey(entry.ManifestDigest))
            {
                await _objects.Delete(Repository, StoredObjectKind.Manifest, entry.ManifestDigest);
            }

            await Save(next);
            return new ImageIdentifier(entry.ManifestDigest, image.ImageTag);
        });

    public Task<RepositoryDescription> Describe(CallerIdentity caller) =>
        ActiveOperation(caller, EcrOperations.DescribeRepositories, () => Task.FromResult(Describe()));

    public Task<RepositorySnapshot> Inspect() => Task.FromResult(new RepositorySnapshot(
        _account, _region, _name, Repository.Status,
        Repository.Status == RepositoryStatus.Active ? Describe() : null,
        Repository.Grants.Select(g => g.ToPublic()).ToArray(),
        Repository.Images.Values.Select(i => RepositoryLifecycle.Detail(Repository, i, clock.UtcNow)).ToArray(),
        Repository.Blobs.Count,
        Repository.Incarnation,
        Repository.Blobs.Keys.Order(StringComparer.Ordinal).ToArray()));

    // ---- resuming ----

    public Task ResumePendingWork() => FinishPendingWork();

    /// <summary>Finishes a create, rollback or delete left unfinished; returns the KMS error that stopped it again, if one did.</summary>
    private async Task<AwsServiceException?> FinishPendingWork()
    {
        AwsServiceException? stalled = null;
        try
        {
            switch (Repository.Status)
            {
                case RepositoryStatus.Creating:
                    await RunCreateSteps();
                    break;
                case RepositoryStatus.RollingBack:
                    await RunRollbackSteps();
                    break;
                case RepositoryStatus.Deleting:
                    await RunDeleteSteps();
                    break;
            }

            await ApplyDueLifecyclePolicy();
        }
        catch (AwsServiceException error)
        {
            // The interrupted caller is gone; what matters is that the state is consistent again (a create that failed was rolled back).
            GrantSimLog.ResumedWorkEnded(logger, RepositoryArn, error.ErrorCode);
            stalled = error;
        }

        if (!Repository.HasPendingWork)
        {
            await ClearReminder();
        }

        return stalled;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReplicationReminder)
        {
            return ResumeReplication();
        }

        if (reminderName != ResumeReminder)
        {
            return Task.CompletedTask;
        }

        // The reminder exists (it just fired), whatever this activation believed.
        _reminderMayExist = true;
        return ResumePendingWork();
    }

    /// <summary>
    /// Registers the reminder that finishes the work if this activation dies, before the work starts.
    /// Without it the work must not start: a reminder service that is unavailable (its silo stopping, none
    /// configured, a timeout) is ECR's ServerException — nothing changed, try again — not an exception the
    /// caller has never heard of.
    /// </summary>
    private async Task EnsureReminder()
    {
        try
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
        catch (Exception error) when (error is not AwsServiceException)
        {
            GrantSimLog.ReminderUnavailable(logger, RepositoryArn, error.GetType().Name);
            throw new AwsServiceException(AwsErrorCodes.Server, "ECR could not take on this change now (its reminder service is unavailable); nothing was changed. Try again.");
        }

        _reminderMayExist = true;
    }

    private async Task ClearReminder()
    {
        if (!_reminderMayExist)
        {
            return;
        }

        try
        {
            if (await this.GetReminder(ResumeReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminderMayExist = false;
        }
        catch (Exception error) when (error is not AwsServiceException)
        {
            // The work is done and stored; a reminder left behind fires, finds nothing pending, and is cleared then.
            GrantSimLog.ReminderUnavailable(logger, RepositoryArn, error.GetType().Name);
        }
    }

    // ---- shared steps ----

    private string RegistryKey => GrainKeys.TenantRegion(_account, _region);

    private RepositoryDescription Describe() => RepositoryLifecycle.Describe(Repository, _account, _region, _name);

    private async Task<T> ActiveOperation<T>(CallerIdentity caller, string operation, Func<Task<T>> action)
    {
        await ResumePendingWork();
        await Authorize(caller, operation);
        RepositoryLifecycle.RequireActive(Repository, _account, _name);
        return await action();
    }

    /// <summary>The ECR request each method serves (its span, duration and log line are <see cref="AwsRequestObserver"/>'s); the rest are internal calls.</summary>
    private static readonly FrozenDictionary<string, string> EcrRequests = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(Create)] = EcrOperations.CreateRepository,
        [nameof(Delete)] = EcrOperations.DeleteRepository,
        [nameof(Describe)] = EcrOperations.DescribeRepositories,
        [nameof(UploadBlob)] = EcrOperations.CompleteLayerUpload,
        [nameof(CheckBlobs)] = EcrOperations.BatchCheckLayerAvailability,
        [nameof(GetBlob)] = EcrOperations.GetDownloadUrlForLayer,
        [nameof(PutImage)] = EcrOperations.PutImage,
        [nameof(GetImage)] = EcrOperations.BatchGetImage,
        [nameof(GetImageAccepting)] = EcrOperations.BatchGetImage,
        [nameof(LocateLayer)] = EcrOperations.GetDownloadUrlForLayer,
        [nameof(ListImages)] = EcrOperations.ListImages,
        [nameof(UpdateImageStorageClass)] = EcrOperations.UpdateImageStorageClass,
        [nameof(ListImageReferrers)] = EcrOperations.ListImageReferrers,
        [nameof(DescribeImageSigningStatus)] = EcrOperations.DescribeImageSigningStatus,
        [nameof(DescribeImages)] = EcrOperations.DescribeImages,
        [nameof(DeleteImage)] = EcrOperations.BatchDeleteImage,
        [nameof(TagResource)] = EcrOperations.TagResource,
        [nameof(UntagResource)] = EcrOperations.UntagResource,
        [nameof(ListTagsForResource)] = EcrOperations.ListTagsForResource,
        [nameof(PutImageTagMutability)] = EcrOperations.PutImageTagMutability,
        [nameof(PutImageScanningConfiguration)] = EcrOperations.PutImageScanningConfiguration,
        [nameof(DescribeScanning)] = EcrOperations.BatchGetRepositoryScanningConfiguration,
        [nameof(SetPolicy)] = EcrOperations.SetRepositoryPolicy,
        [nameof(GetPolicy)] = EcrOperations.GetRepositoryPolicy,
        [nameof(DeletePolicy)] = EcrOperations.DeleteRepositoryPolicy,
        [nameof(PutLifecyclePolicy)] = EcrOperations.PutLifecyclePolicy,
        [nameof(GetLifecyclePolicy)] = EcrOperations.GetLifecyclePolicy,
        [nameof(DeleteLifecyclePolicy)] = EcrOperations.DeleteLifecyclePolicy,
        [nameof(StartLifecyclePolicyPreview)] = EcrOperations.StartLifecyclePolicyPreview,
        [nameof(GetLifecyclePolicyPreview)] = EcrOperations.GetLifecyclePolicyPreview,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    AwsRequest? IAwsRequestGrain.RequestFor(string method, IInvokable call) =>
        EcrRequests.TryGetValue(method, out var operation)
            ? new AwsRequest(GrantSimTelemetry.EcrService, operation, _account, _region, "Repository", TelemetryTags.Repository, _name)
            : null;

    /// <summary>ECR actions are allowed by the caller's identity policies and the repository policy (RepositoryGrain.Policies.cs), for callers of any account.</summary>
    private async Task Authorize(CallerIdentity caller, string operation)
    {
        caller.ValidateFor(_region);
        await AuthorizeByPolicies(caller, EcrOperations.Action(operation));
    }

    private async Task<T> Audited<T>(CallerIdentity caller, string operation, AuditRequestParameters parameters, Func<Task<T>> action)
    {
        var now = clock.UtcNow;
        try
        {
            var result = await action();
            await auditWriter.Record(AuditEvents.Ecr(operation, _region, _account, caller, now, parameters, RepositoryArn));
            return result;
        }
        catch (AwsServiceException error)
        {
            await auditWriter.Record(AuditEvents.Ecr(operation, _region, _account, caller, now, parameters, RepositoryArn, error));
            throw;
        }
    }

    private IKeyGrain Key(string keyArn) => GrainFactory.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(keyArn)));

    /// <summary>Announces a point between persisted steps (a test may crash the activation there).</summary>
    private ValueTask Passed(string point) => crashPoints.ReachAsync(point, GrainContext);

    private Task Save(RepositoryState next)
    {
        var previous = state.State.Repository;
        return state.ChangeAsync(s => s.Repository = next, s => s.Repository = previous);
    }
}
