using System.Collections.Frozen;
using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Iam;
using GrantSim.Identity;
using GrantSim.Simulation;
using GrantSim.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization.Invocation;
using Orleans.Storage;

namespace GrantSim.Kms;

[GenerateSerializer, Alias("GrantSim.Kms.KeyGrainState")]
public sealed class KeyGrainState
{
    [Id(0)] public KmsKey? Key { get; set; }
}

/// <summary>
/// One KMS key. Loads its state and grants, asks the pure domain (<see cref="KeyLifecycle"/>,
/// <see cref="GrantLifecycle"/>, <see cref="KmsAuthorizer"/>, <see cref="KmsCiphertext"/>) what
/// each call does, persists, and records every call in the audit trail. Each call runs in the
/// same order: injected fault, request validation, key existence, authorization, key state, effect.
/// </summary>
public sealed class KeyGrain(
    [PersistentState("key", StorageNames.Default)] IPersistentState<KeyGrainState> state,
    SimulationClock clock,
    GrantSimMetrics metrics,
    ICrashPoints crashPoints,
    AuditWriter auditWriter,
    IdentityPolicies identityPolicies,
    ILogger<KeyGrain> logger) : Grain, IKeyGrain, IAwsRequestGrain
{
    private static readonly CallerIdentity KmsService = CallerIdentity.Service("kms.amazonaws.com");

    private GrantPageStore _grantStore = null!;
    private GrantBook _grants = GrantBook.Empty;
    private SimulationSettings _settings = SimulationSettings.Default;
    private long _calls;

    private AuditBatcher _audit = null!;
    private string _account = "";
    private string _region = "";
    private string _keyId = "";

    private string KeyArn => Arn.KmsKey(_region, _account, _keyId).ToString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_account, _region, _keyId) = GrainKeys.Split(this.GetPrimaryKeyString());
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        _grantStore = new GrantPageStore(storage, this.GetGrainId());
        _audit = new AuditBatcher(auditWriter);
        _grants = GrantBook.From(await _grantStore.LoadAsync());
        _settings = await GrainFactory.GetGrain<ITenantSettingsGrain>(_account).Get();
        await _grantStore.AppendPendingAuditAsync(GrainFactory, auditWriter, pending => GrantSimLog.PendingAuditAppended(logger, pending.EventName, pending.GrantId, KeyArn));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await _grantStore.ClearRecordedAsync();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Nothing is lost: the records stay in their outbox, and the next activation finds them in the trail.
            GrantSimLog.OutboxNotCleared(logger, KeyArn, error);
        }
    }

    public async Task<KeyMetadata> Initialize(KeyCreation creation)
    {
        if (state.State.Key is { } existing)
        {
            return existing.KeyId == creation.KeyId
                ? await DescribedAsync(KeyLifecycle.AsOf(existing, clock.UtcNow))
                : throw new InvalidOperationException($"Key grain {this.GetPrimaryKeyString()} already holds key {existing.KeyId}.");
        }

        var now = clock.UtcNow;
        var key = KeyLifecycle.Create(new KeyCreationFacts(_keyId, _account, _region, creation.KeyManager, creation.Description, creation.Policy, creation.Tags, creation.KeySpec, creation.KeyUsage, creation.Origin, creation.MultiRegion, creation.ReplicaMaterial), now);
        if (key.MultiRegion && creation.ReplicaMaterial is null)
        {
            // A new primary key starts its family (idempotent, so a creation finished after a crash does no harm).
            await Family().Create(_region);
        }

        await Persist(key);
        await Record(creation.Creator, KmsOperations.CreateKey, new AuditRequestParameters { Description = creation.Description }, now, responseKeyId: key.Arn);
        return await DescribedAsync(key);
    }

    public Task<KeyMetadata> DescribeKey(CallerIdentity caller, string requestedKeyId, IReadOnlyList<string>? grantTokens) =>
        Execute(caller, KmsOperations.DescribeKey, new AuditRequestParameters { KeyId = requestedKeyId }, validate: null, async (key, _) =>
        {
            var call = new KmsCall(caller, KmsOperations.DescribeKey, PresentedGrantIds: PresentedGrants(key, grantTokens));
            var authorization = await Authorize(key, call);
            return Result(await DescribedAsync(key), authorization.GrantId);
        });

    public Task EnableKey(CallerIdentity caller, string requestedKeyId) =>
        ChangeState(caller, KmsOperations.EnableKey, requestedKeyId, key => KeyLifecycle.Enable(key, clock.UtcNow));

    public Task DisableKey(CallerIdentity caller, string requestedKeyId) =>
        ChangeState(caller, KmsOperations.DisableKey, requestedKeyId, key => KeyLifecycle.Disable(key));

    public async Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletion(CallerIdentity caller, string requestedKeyId, int? pendingWindowInDays)
    {
        var family = state.State.Key is { MultiRegion: true } ? await Family().Describe() : null;
        var key = await ChangeState(caller, KmsOperations.ScheduleKeyDeletion, requestedKeyId,
            key =>
            {
                MultiRegionRules.RequireDeletable(key, family);
                return KeyLifecycle.ScheduleDeletion(key, pendingWindowInDays, clock.UtcNow);
            },
            new AuditRequestParameters { KeyId = requestedKeyId, PendingWindowInDays = pendingWindowInDays },
            validate: () => KeyLifecycle.ValidateDeletionWindow(pendingWindowInDays));
        if (family is { } replicaOf && replicaOf.PrimaryRegion != _region)
        {
            // A replica on its way out no longer counts as one: the primary may then be deleted, or replicated here again.
            await Family().RemoveReplica(_region);
        }

        return new ScheduleKeyDeletionResponse(key.Arn, key.DeletionDate!.Value, key.State, key.PendingWindowInDays!.Value);
    }

    public async Task<string> CancelKeyDeletion(CallerIdentity caller, string requestedKeyId)
    {
        var key = await ChangeState(caller, KmsOperations.CancelKeyDeletion, requestedKeyId, KeyLifecycle.CancelDeletion);
        if (key.MultiRegion && await Family().Describe() is { } family && family.PrimaryRegion != _region)
        {
            try
            {
                await Family().AddReplica(_region);
            }
            catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.AlreadyExists)
            {
                // Still listed: nothing to restore.
            }
        }

        return key.Arn;
    }

    public Task<string> GetKeyPolicy(CallerIdentity caller, string requestedKeyId) =>
        Execute(caller, KmsOperations.GetKeyPolicy, new AuditRequestParameters { KeyId = requestedKeyId }, validate: null, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, KmsOperations.GetKeyPolicy));
            return Result(key.Policy);
        });

    /// <summary>A key has one key policy, named "default"; listing it is allowed by the key policy (kms:ListKeyPolicies), in any state but deleted.</summary>
    public Task<IReadOnlyList<string>> ListKeyPolicies(CallerIdentity caller, string requestedKeyId) =>
        Execute(caller, KmsOperations.ListKeyPolicies, new AuditRequestParameters { KeyId = requestedKeyId }, validate: null, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, KmsOperations.ListKeyPolicies));
            return Result<IReadOnlyList<string>>([KmsOperations.DefaultPolicyName]);
        });

    public async Task PutKeyPolicy(CallerIdentity caller, string requestedKeyId, string policy) =>
        await ChangeState(caller, KmsOperations.PutKeyPolicy, requestedKeyId, key => KeyLifecycle.PutPolicy(key, policy),
            validate: () => PolicyParser.Parse(policy));

    public Task<EncryptResponse> Encrypt(CallerIdentity caller, EncryptRequest request) =>
        Execute(caller, KmsOperations.Encrypt, new AuditRequestParameters { KeyId = request.KeyId, EncryptionContext = request.EncryptionContext },
            validate: () => KmsCiphertext.ValidatePlaintextLength(request.Plaintext?.Length ?? 0), async (key, _) =>
            {
                var context = request.EncryptionContext ?? EncryptionContext.Empty;
                var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.Encrypt, context, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
                KeyLifecycle.Require(key, KmsOperations.Encrypt);
                return Result(new EncryptResponse(key.Arn, KeyEncryption.Seal(key, request.Plaintext, request.EncryptionContext, request.EncryptionAlgorithm)), authorization.GrantId);
            });

    public Task<GenerateDataKeyResponse> GenerateDataKey(CallerIdentity caller, GenerateDataKeyRequest request, bool withPlaintext)
    {
        var operation = withPlaintext ? KmsOperations.GenerateDataKey : KmsOperations.GenerateDataKeyWithoutPlaintext;
        var parameters = new AuditRequestParameters
        {
            KeyId = request.KeyId, EncryptionContext = request.EncryptionContext, KeySpec = request.KeySpec, NumberOfBytes = request.NumberOfBytes,
        };
        return Execute(caller, operation, parameters, validate: () => DataKeys.Length(request), async (key, _) =>
        {
            var context = request.EncryptionContext ?? EncryptionContext.Empty;
            var authorization = await Authorize(key, new KmsCall(caller, operation, context, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
            KeyLifecycle.Require(key, operation);
            KeyLifecycle.RequireSymmetric(key, operation);
            var plaintext = System.Security.Cryptography.RandomNumberGenerator.GetBytes(DataKeys.Length(request));
            var blob = KeyEncryption.Seal(key, plaintext, context, null);
            return Result(new GenerateDataKeyResponse(key.Arn, blob, withPlaintext ? plaintext : null), authorization.GrantId);
        });
    }

    public Task<DecryptResponse> Decrypt(CallerIdentity caller, DecryptRequest request) =>
        Execute(caller, KmsOperations.Decrypt, new AuditRequestParameters { KeyId = request.KeyId, EncryptionContext = request.EncryptionContext },
            validate: () => KmsCiphertext.ValidateCiphertextLength(request.CiphertextBlob), async (key, _) =>
            {
                var context = request.EncryptionContext ?? EncryptionContext.Empty;
                var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.Decrypt, context, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
                KeyLifecycle.Require(key, KmsOperations.Decrypt);
                return Result(new DecryptResponse(key.Arn, KeyEncryption.Open(key, request.CiphertextBlob, request.EncryptionContext, request.EncryptionAlgorithm, out int _)), authorization.GrantId);
            });

    public Task<ReEncryptSource> ReEncryptFrom(CallerIdentity caller, ReEncryptRequest request) =>
        Execute(caller, KmsOperations.ReEncrypt, ReEncryptParameters(request),
            validate: () => KmsCiphertext.ValidateCiphertextLength(request.CiphertextBlob), async (key, _) =>
            {
                var context = request.SourceEncryptionContext ?? EncryptionContext.Empty;
                var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.ReEncryptFrom, context, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
                KeyLifecycle.Require(key, KmsOperations.ReEncryptFrom);
                var plaintext = KeyEncryption.Open(key, request.CiphertextBlob, request.SourceEncryptionContext, request.SourceEncryptionAlgorithm, out var version);
                return Result(new ReEncryptSource(key.Arn, KeyRotations.MaterialId(key, version), plaintext), authorization.GrantId);
            });

    public Task<ReEncryptResponse> ReEncryptTo(CallerIdentity caller, ReEncryptRequest request, ReEncryptSource source) =>
        Execute(caller, KmsOperations.ReEncrypt, ReEncryptParameters(request), validate: null, async (key, _) =>
        {
            var context = request.DestinationEncryptionContext ?? EncryptionContext.Empty;
            var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.ReEncryptTo, context, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
            KeyLifecycle.Require(key, KmsOperations.ReEncryptTo);
            var blob = KeyEncryption.Seal(key, source.Plaintext, request.DestinationEncryptionContext, request.DestinationEncryptionAlgorithm);
            return Result(new ReEncryptResponse(blob, source.SourceKeyArn, key.Arn, source.SourceKeyMaterialId, KeyRotations.MaterialId(key, key.CurrentMaterialVersion)),
                authorization.GrantId);
        });

    public Task<KeyBytes> Sign(CallerIdentity caller, SignRequest request) =>
        Execute(caller, KmsOperations.Sign, new AuditRequestParameters { KeyId = request.KeyId, Algorithm = request.SigningAlgorithm }, validate: null, async (key, _) =>
        {
            var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.Sign, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
            KeyLifecycle.Require(key, KmsOperations.Sign);
            return Result(new KeyBytes(key.Arn, KeyCryptography.Sign(key, request.Message, request.MessageType, request.SigningAlgorithm)), authorization.GrantId);
        });

    public Task<string> Verify(CallerIdentity caller, SignRequest request) =>
        Execute(caller, KmsOperations.Verify, new AuditRequestParameters { KeyId = request.KeyId, Algorithm = request.SigningAlgorithm }, validate: null, async (key, _) =>
        {
            var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.Verify, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
            KeyLifecycle.Require(key, KmsOperations.Verify);
            KeyCryptography.Verify(key, request.Message, request.MessageType, request.SigningAlgorithm, request.Signature ?? []);
            return Result(key.Arn, authorization.GrantId);
        });

    public Task<PublicKeyResponse> GetPublicKey(CallerIdentity caller, string requestedKeyId, IReadOnlyList<string>? grantTokens) =>
        Execute(caller, KmsOperations.GetPublicKey, new AuditRequestParameters { KeyId = requestedKeyId }, validate: null, async (key, _) =>
        {
            var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.GetPublicKey, PresentedGrantIds: PresentedGrants(key, grantTokens)));
            KeyLifecycle.Require(key, KmsOperations.GetPublicKey);
            return Result(new PublicKeyResponse(key.Arn, KeyCryptography.PublicKey(key), key.KeySpec.Name, key.KeyUsage), authorization.GrantId);
        });

    public Task<KeyBytes> GenerateMac(CallerIdentity caller, MacRequest request) =>
        Execute(caller, KmsOperations.GenerateMac, new AuditRequestParameters { KeyId = request.KeyId, Algorithm = request.MacAlgorithm }, validate: null, async (key, _) =>
        {
            var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.GenerateMac, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
            KeyLifecycle.Require(key, KmsOperations.GenerateMac);
            return Result(new KeyBytes(key.Arn, KeyCryptography.Mac(key, request.Message, request.MacAlgorithm)), authorization.GrantId);
        });

    public Task<string> VerifyMac(CallerIdentity caller, MacRequest request) =>
        Execute(caller, KmsOperations.VerifyMac, new AuditRequestParameters { KeyId = request.KeyId, Algorithm = request.MacAlgorithm }, validate: null, async (key, _) =>
        {
            var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.VerifyMac, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
            KeyLifecycle.Require(key, KmsOperations.VerifyMac);
            KeyCryptography.VerifyMac(key, request.Message, request.MacAlgorithm, request.Mac ?? []);
            return Result(key.Arn, authorization.GrantId);
        });

    /// <summary>A new key pair whose private key is encrypted under this symmetric key with the encryption context (GenerateDataKeyPair and its WithoutPlaintext form).</summary>
    public Task<DataKeyPairResponse> GenerateDataKeyPair(CallerIdentity caller, DataKeyPairRequest request, bool withPlaintext)
    {
        var operation = withPlaintext ? KmsOperations.GenerateDataKeyPair : KmsOperations.GenerateDataKeyPairWithoutPlaintext;
        var parameters = new AuditRequestParameters { KeyId = request.KeyId, EncryptionContext = request.EncryptionContext, KeySpec = request.KeyPairSpec };
        return Execute(caller, operation, parameters, validate: null, async (key, _) =>
        {
            var context = request.EncryptionContext ?? EncryptionContext.Empty;
            var authorization = await Authorize(key, new KmsCall(caller, operation, context, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
            KeyLifecycle.Require(key, operation);
            KeyLifecycle.RequireSymmetric(key, operation);
            var (privateKey, publicKey) = KeyCryptography.NewKeyPair(request.KeyPairSpec);
            var blob = KeyEncryption.Seal(key, privateKey, context, null);
            return Result(new DataKeyPairResponse(key.Arn, request.KeyPairSpec, blob, withPlaintext ? privateKey : null, publicKey), authorization.GrantId);
        });
    }

    public Task<KeyBytes> DeriveSharedSecret(CallerIdentity caller, DeriveSharedSecretRequest request) =>
        Execute(caller, KmsOperations.DeriveSharedSecret, new AuditRequestParameters { KeyId = request.KeyId, Algorithm = request.KeyAgreementAlgorithm }, validate: null, async (key, _) =>
        {
            var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.DeriveSharedSecret, PresentedGrantIds: PresentedGrants(key, request.GrantTokens)));
            KeyLifecycle.Require(key, KmsOperations.DeriveSharedSecret);
            return Result(new KeyBytes(key.Arn, KeyCryptography.DeriveSharedSecret(key, request.KeyAgreementAlgorithm, request.PublicKey)), authorization.GrantId);
        });

    public async Task<ImportParameters> GetParametersForImport(CallerIdentity caller, string requestedKeyId, string wrappingAlgorithm, string wrappingKeySpec)
    {
        ImportParameters? parameters = null;
        await ChangeState(caller, KmsOperations.GetParametersForImport, requestedKeyId, key =>
        {
            (var changed, parameters) = ImportedMaterial.GetParameters(key, wrappingAlgorithm, wrappingKeySpec, clock.UtcNow);
            return changed;
        });
        return parameters!;
    }

    public async Task<KeyMaterialResult> ImportKeyMaterial(CallerIdentity caller, ImportKeyMaterialRequest request)
    {
        var key = await ChangeState(caller, KmsOperations.ImportKeyMaterial, request.KeyId, key => ImportedMaterial.Import(key, request, clock.UtcNow));
        return new KeyMaterialResult(key.Arn, ImportedMaterial.MaterialId(key));
    }

    public async Task<KeyMaterialResult> DeleteImportedKeyMaterial(CallerIdentity caller, string requestedKeyId)
    {
        var key = await ChangeState(caller, KmsOperations.DeleteImportedKeyMaterial, requestedKeyId, ImportedMaterial.Delete);
        return new KeyMaterialResult(key.Arn, ImportedMaterial.MaterialId(key));
    }

    /// <summary>
    /// ReplicateKey: a key in <see cref="ReplicateKeyRequest.ReplicaRegion"/> with this key's id, spec, usage and
    /// material, and its own policy, description, tags and grants — created through that Region's key registry.
    /// </summary>
    public async Task<KeyMetadata> ReplicateKey(CallerIdentity caller, ReplicateKeyRequest request)
    {
        var parameters = new AuditRequestParameters { KeyId = request.KeyId, ReplicaRegion = request.ReplicaRegion };
        var (creation, family) = await Execute(caller, KmsOperations.ReplicateKey, parameters, validate: null, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, KmsOperations.ReplicateKey));
            var family = key.MultiRegion ? await Family().Describe() : null;
            MultiRegionRules.RequireReplicable(key, family, request.ReplicaRegion);
            KeyLifecycle.Require(key, KmsOperations.ReplicateKey);
            await Family().AddReplica(request.ReplicaRegion);
            var policy = request.Policy ?? DefaultKeyPolicies.CustomerManaged(Regions.PartitionOf(request.ReplicaRegion), _account);
            return Result((new KeyCreation(key.KeyId, KeyManager.Customer, request.Description ?? key.Description, policy, caller, request.Tags,
                key.Spec, key.Usage, null, MultiRegion: true, ReplicaMaterial: key.Material), family!));
        });

        try
        {
            return await GrainFactory.GetGrain<IKeyRegistryGrain>(GrainKeys.TenantRegion(_account, request.ReplicaRegion)).CreateReplica(caller, creation);
        }
        catch (AwsServiceException)
        {
            // The replica Region refused (its IAM, the policy, the tags): the family does not keep a Region it has no key in.
            await Family().RemoveReplica(request.ReplicaRegion);
            throw;
        }
    }

    /// <summary>UpdatePrimaryRegion: the replica in <paramref name="primaryRegion"/> becomes the primary and this key a replica; the caller needs the permission on both.</summary>
    public Task UpdatePrimaryRegion(CallerIdentity caller, string requestedKeyId, string primaryRegion) =>
        Execute(caller, KmsOperations.UpdatePrimaryRegion, new AuditRequestParameters { KeyId = requestedKeyId, ReplicaRegion = primaryRegion }, validate: null, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, KmsOperations.UpdatePrimaryRegion));
            var family = key.MultiRegion ? await Family().Describe() : null;
            MultiRegionRules.RequirePrimaryMove(key, family, primaryRegion);
            KeyLifecycle.Require(key, KmsOperations.UpdatePrimaryRegion);
            await GrainFactory.GetGrain<IKeyGrain>(GrainKeys.Key(_account, primaryRegion, key.KeyId)).Authorize(caller, KmsOperations.UpdatePrimaryRegion);
            await Family().UpdatePrimary(primaryRegion);
            return Result(true);
        });

    /// <summary>GetKeyLastUsage: the latest successful cryptographic call on the key, read from its trail (tracking starts at its creation).</summary>
    public Task<KeyLastUsage> GetKeyLastUsage(CallerIdentity caller, string requestedKeyId) =>
        Execute(caller, KmsOperations.GetKeyLastUsage, new AuditRequestParameters { KeyId = requestedKeyId }, validate: null, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, KmsOperations.GetKeyLastUsage));
            var events = await GrainFactory.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(_account, _region)).Query(new AuditQuery(Resource: key.Arn));
            var last = events.LastOrDefault(e => e.Succeeded && KmsOperations.TrackedUsage.Contains(e.EventName));
            return Result(new KeyLastUsage(key.Arn, key.CreationDate, last?.EventName, last?.EventTime, last?.EventId));
        });

    public async Task UpdateKeyDescription(CallerIdentity caller, string requestedKeyId, string description) =>
        await ChangeState(caller, KmsOperations.UpdateKeyDescription, requestedKeyId, key => KeyLifecycle.UpdateDescription(key, description),
            new AuditRequestParameters { KeyId = requestedKeyId, Description = description }, validate: () => KeyLifecycle.ValidateDescription(description));

    public async Task TagResource(CallerIdentity caller, string requestedKeyId, IReadOnlyList<KeyTag> tags) =>
        await ChangeState(caller, KmsOperations.TagResource, requestedKeyId, key => KeyTags.Tag(key, tags),
            new AuditRequestParameters { KeyId = requestedKeyId, TagKeys = tags.Select(t => t.TagKey).ToArray() }, validate: () => KeyTags.Validate(tags));

    public async Task UntagResource(CallerIdentity caller, string requestedKeyId, IReadOnlyList<string> tagKeys) =>
        await ChangeState(caller, KmsOperations.UntagResource, requestedKeyId, key => KeyTags.Untag(key, tagKeys),
            new AuditRequestParameters { KeyId = requestedKeyId, TagKeys = tagKeys });

    public Task<IReadOnlyList<KeyTag>> ListResourceTags(CallerIdentity caller, string requestedKeyId) =>
        Execute(caller, KmsOperations.ListResourceTags, new AuditRequestParameters { KeyId = requestedKeyId }, validate: null, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, KmsOperations.ListResourceTags));
            return Result<IReadOnlyList<KeyTag>>(key.TagSet.Select(t => new KeyTag(t.Key, t.Value)).ToArray());
        });

    public async Task EnableKeyRotation(CallerIdentity caller, string requestedKeyId, int? rotationPeriodInDays) =>
        await ChangeState(caller, KmsOperations.EnableKeyRotation, requestedKeyId, key => KeyRotations.Enable(key, rotationPeriodInDays, clock.UtcNow),
            new AuditRequestParameters { KeyId = requestedKeyId, RotationPeriodInDays = rotationPeriodInDays },
            validate: () => KeyRotations.ValidatePeriod(rotationPeriodInDays));

    public async Task DisableKeyRotation(CallerIdentity caller, string requestedKeyId) =>
        await ChangeState(caller, KmsOperations.DisableKeyRotation, requestedKeyId, KeyRotations.Disable);

    public async Task<string> RotateKeyOnDemand(CallerIdentity caller, string requestedKeyId) =>
        (await ChangeState(caller, KmsOperations.RotateKeyOnDemand, requestedKeyId, key => KeyRotations.RotateOnDemand(key, clock.UtcNow))).Arn;

    public Task<KeyRotationStatus> GetKeyRotationStatus(CallerIdentity caller, string requestedKeyId) =>
        Execute(caller, KmsOperations.GetKeyRotationStatus, new AuditRequestParameters { KeyId = requestedKeyId }, validate: null, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, KmsOperations.GetKeyRotationStatus));
            return Result(KeyRotations.Status(key));
        });

    public Task<IReadOnlyList<KeyRotationEntry>> ListKeyRotations(CallerIdentity caller, string requestedKeyId, bool includeInitialMaterial) =>
        Execute(caller, KmsOperations.ListKeyRotations, new AuditRequestParameters { KeyId = requestedKeyId }, validate: null, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, KmsOperations.ListKeyRotations));
            return Result(KeyRotations.List(key, includeInitialMaterial));
        });

    public Task<CreateGrantResponse> CreateGrant(CallerIdentity caller, CreateGrantRequest request)
    {
        var parameters = new AuditRequestParameters
        {
            KeyId = request.KeyId, GranteePrincipal = request.GranteePrincipal, RetiringPrincipal = request.RetiringPrincipal,
            Operations = request.Operations, Constraints = request.Constraints, GrantName = request.Name,
        };
        CreateGrantRequest? validated = null;
        return Execute(caller, KmsOperations.CreateGrant, parameters, validate: () => validated = GrantLifecycle.Validate(request), async (key, scope) =>
        {
            var call = new KmsCall(caller, KmsOperations.CreateGrant, GrantIsForAwsResource: caller.ViaService is not null,
                PresentedGrantIds: PresentedGrants(key, request.GrantTokens), RequestedGrantOperations: validated!.Operations);
            await Authorize(key, call);
            KeyLifecycle.Require(key, KmsOperations.CreateGrant);
            var issuingAccount = caller.Account ?? _account;
            var creation = GrantLifecycle.Create(_grants, key, validated, issuingAccount, clock.UtcNow, GrantIds.New());
            if (creation.IsNew)
            {
                await _grantStore.SaveAsync(creation.Grant, scope.Stage(AuditFor(scope, caller, KmsOperations.CreateGrant, parameters, creation.Grant.GrantId)));
                _grants = creation.Book;
                await Passed(CrashPoints.GrantChangeStored);
                metrics.GrantCreated(_account, _region);
            }

            var token = GrantTokens.Issue(key.TokenSecret, key.Arn, creation.Grant.GrantId);
            return Result(new CreateGrantResponse(creation.Grant.GrantId, token), creation.Grant.GrantId);
        });
    }

    public Task<ListGrantsResponse> ListGrants(CallerIdentity caller, ListGrantsRequest request) =>
        Execute(caller, KmsOperations.ListGrants, new AuditRequestParameters { KeyId = request.KeyId, GrantId = request.GrantId, GranteePrincipal = request.GranteePrincipal },
            validate: () => GrantListing.Validate(request), async (key, _) =>
            {
                var authorization = await Authorize(key, new KmsCall(caller, KmsOperations.ListGrants, GrantIsForAwsResource: caller.ViaService is not null));
                return Result(GrantListing.Page(_grants, key.KeyId, request), authorization.GrantId);
            });

    public Task RetireGrant(CallerIdentity caller, RetireGrantRequest request, string grantId)
    {
        var parameters = new AuditRequestParameters { KeyId = request.KeyId, GrantId = grantId };
        return Execute(caller, KmsOperations.RetireGrant, parameters,
            validate: () => GrantLifecycle.RequireWellFormedGrantId(grantId), async (key, scope) =>
            {
                if (request.GrantToken is { } token && !GrantTokens.Verify(key.TokenSecret, token))
                {
                    throw GrantTokens.Invalid();
                }

                var grant = _grants.Find(grantId) is { IsActive: true } found ? found : throw GrantLifecycle.GrantNotFound(grantId);
                var iamAllows = caller.Account == grant.IssuingAccount
                    && KmsAuthorizer.IdentityAllowsRetire(key, caller, await identityPolicies.For(caller));
                if (!GrantLifecycle.MayRetire(grant, caller, iamAllows))
                {
                    throw KmsAuthorizer.Denied(new KmsCall(caller, KmsOperations.RetireGrant), key.Arn, explicitDeny: false);
                }

                await EndGrant(grant, GrantStatus.Retired, caller, scope.Stage(AuditFor(scope, caller, KmsOperations.RetireGrant, parameters, grantId)));
                return Result(true, grantId);
            });
    }

    public Task RevokeGrant(CallerIdentity caller, string requestedKeyId, string grantId)
    {
        var parameters = new AuditRequestParameters { KeyId = requestedKeyId, GrantId = grantId };
        return Execute(caller, KmsOperations.RevokeGrant, parameters,
            validate: () => GrantLifecycle.RequireWellFormedGrantId(grantId), async (key, scope) =>
            {
                await Authorize(key, new KmsCall(caller, KmsOperations.RevokeGrant, GrantIsForAwsResource: caller.ViaService is not null));
                var grant = _grants.Find(grantId) is { IsActive: true } found ? found : throw GrantLifecycle.GrantNotFound(grantId);
                await EndGrant(grant, GrantStatus.Revoked, caller, scope.Stage(AuditFor(scope, caller, KmsOperations.RevokeGrant, parameters, grantId)));
                return Result(true, grantId);
            });
    }

    public async Task<KeyMetadata> Authorize(CallerIdentity caller, string operation)
    {
        caller.ValidateFor(_region);
        var key = await CurrentKey(clock.UtcNow);
        await Authorize(key, new KmsCall(caller, operation));
        return key.ToMetadata();
    }

    public Task<IReadOnlyList<GrantListEntry>> GetRetirableGrants(string retiringPrincipal) =>
        Task.FromResult<IReadOnlyList<GrantListEntry>>(state.State.Key is null
            ? []
            : _grants.Active.Where(g => g.RetiringPrincipal == retiringPrincipal).Select(g => g.ToListEntry(_keyId)).ToArray());

    public Task<IReadOnlyList<GrantRecord>> GetGrantHistory() =>
        Task.FromResult<IReadOnlyList<GrantRecord>>(_grants.All.Select(g => g.ToRecord(_keyId)).ToArray());

    public Task<KeyMetadata?> Peek() =>
        Task.FromResult(state.State.Key is { } key ? KeyLifecycle.AsOf(key, clock.UtcNow).ToMetadata() : null);

    public Task ApplySettings(SimulationSettings settings)
    {
        if (settings.Version > _settings.Version)
        {
            _settings = settings;
        }

        return Task.CompletedTask;
    }

    // ---- the steps every call shares ----

    /// <summary>The methods that are KMS calls of the same name (their span, duration and log scope are <see cref="AwsRequestObserver"/>'s).</summary>
    private static readonly FrozenSet<string> KmsCalls = new[]
    {
        nameof(DescribeKey), nameof(EnableKey), nameof(DisableKey), nameof(ScheduleKeyDeletion), nameof(CancelKeyDeletion),
        nameof(GetKeyPolicy), nameof(PutKeyPolicy), nameof(ListKeyPolicies), nameof(Encrypt), nameof(Decrypt), nameof(CreateGrant), nameof(ListGrants),
        nameof(RetireGrant), nameof(RevokeGrant), nameof(UpdateKeyDescription), nameof(TagResource), nameof(UntagResource),
        nameof(ListResourceTags), nameof(EnableKeyRotation), nameof(DisableKeyRotation), nameof(RotateKeyOnDemand), nameof(GetKeyRotationStatus),
        nameof(ListKeyRotations), nameof(GetKeyLastUsage), nameof(ReplicateKey), nameof(UpdatePrimaryRegion), nameof(GetParametersForImport), nameof(ImportKeyMaterial), nameof(DeleteImportedKeyMaterial), nameof(Sign), nameof(Verify), nameof(GetPublicKey), nameof(GenerateMac), nameof(VerifyMac), nameof(DeriveSharedSecret),
    }.ToFrozenSet(StringComparer.Ordinal);

    AwsRequest? IAwsRequestGrain.RequestFor(string method, IInvokable call)
    {
        var operation = method switch
        {
            nameof(GenerateDataKey) => call.GetArgument(2) is true ? KmsOperations.GenerateDataKey : KmsOperations.GenerateDataKeyWithoutPlaintext,
            nameof(ReEncryptFrom) or nameof(ReEncryptTo) => KmsOperations.ReEncrypt,
            nameof(GenerateDataKeyPair) => call.GetArgument(2) is true ? KmsOperations.GenerateDataKeyPair : KmsOperations.GenerateDataKeyPairWithoutPlaintext,
            _ => KmsCalls.Contains(method) ? method : null,
        };
        if (operation is null)
        {
            return null;
        }

        var context = call.GetArgumentCount() > 1
            ? call.GetArgument(1) switch
            {
                EncryptRequest r => r.EncryptionContext,
                DecryptRequest r => r.EncryptionContext,
                GenerateDataKeyRequest r => r.EncryptionContext,
                DataKeyPairRequest r => r.EncryptionContext,
                ReEncryptRequest r => method == nameof(ReEncryptFrom) ? r.SourceEncryptionContext : r.DestinationEncryptionContext,
                _ => null,
            }
            : null;
        return new AwsRequest(GrantSimTelemetry.KmsService, operation, _account, _region, "KeyArn", TelemetryTags.KeyArn, KeyArn, context?.Keys.ToArray());
    }

    /// <summary>A call's result and the grant the trail records for it (the grant used, created, retired or revoked).</summary>
    private sealed record Outcome<T>(T Value, string? GrantId);

    private static Outcome<T> Result<T>(T value, string? grantId = null) => new(value, grantId);

    /// <summary>
    /// One call's own facts. GenerateDataKey, Decrypt and Encrypt interleave with other calls
    /// (see <see cref="IKeyGrain"/>), so nothing about a call in progress may live in the grain's fields.
    /// </summary>
    private sealed class CallScope(DateTimeOffset startedAt)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;

        /// <summary>The success record of a grant change, stored in the grant page's outbox with the change.</summary>
        public AuditEvent? Staged { get; private set; }

        public AuditEvent Stage(AuditEvent record) => Staged = record;
    }

    private async Task<T> Execute<T>(
        CallerIdentity caller, string operation, AuditRequestParameters parameters, Action? validate, Func<KmsKey, CallScope, Task<Outcome<T>>> action)
    {
        var now = clock.UtcNow;
        var scope = new CallScope(now);
        Outcome<T> outcome;
        try
        {
            caller.ValidateFor(_region);
            InjectFault(caller, operation);
            validate?.Invoke();
            var key = await CurrentKey(now);
            outcome = await action(key, scope);
        }
        catch (AwsServiceException error)
        {
            GrantSimLog.KmsCall(logger, operation, KeyArn, _account, _region, error.ErrorCode, null);
            await Record(caller, operation, parameters, now, error: error);
            throw;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A write failed under the call (the key's storage, a grant page, the trail). This activation's memory may
            // now hold what was never stored, and a grant change stored with its record in the page's outbox waits for
            // an activation to append it: the next call starts from storage, and its activation appends the outbox.
            DeactivateOnIdle();
            throw;
        }

        GrantSimTelemetry.TagRequest(TelemetryTags.GrantId, outcome.GrantId);
        GrantSimLog.KmsCall(logger, operation, KeyArn, _account, _region, AuditCounts.Ok, outcome.GrantId);
        if (scope.Staged is { } staged)
        {
            // The grant change is stored with its record in the page's outbox: append it, then mark it for clearing
            // (the page's next write drops it; GrantPageStore says why it is not written away at once).
            try
            {
                await _audit.Record(staged);
            }
            catch
            {
                // The trail is unreachable: the next activation appends the record from the outbox.
                DeactivateOnIdle();
                throw;
            }

            await Passed(CrashPoints.GrantChangeRecorded);
            await _grantStore.ClearPendingAsync(staged);
            await Passed(CrashPoints.GrantChangeCleared);
        }
        else
        {
            var crypto = operation is KmsOperations.Encrypt or KmsOperations.Decrypt or KmsOperations.GenerateDataKey or KmsOperations.GenerateDataKeyWithoutPlaintext
                or KmsOperations.ReEncrypt or KmsOperations.Sign or KmsOperations.Verify or KmsOperations.GenerateMac or KmsOperations.VerifyMac
                or KmsOperations.GenerateDataKeyPair or KmsOperations.GenerateDataKeyPairWithoutPlaintext or KmsOperations.DeriveSharedSecret;
            if (crypto)
            {
                await Passed(CrashPoints.CryptoDecided);
            }

            await Record(caller, operation, parameters, now, outcome.GrantId);
            if (crypto)
            {
                await Passed(CrashPoints.CryptoRecorded);
            }
        }

        return outcome.Value;
    }

    /// <summary>The success record of the grant change this call is about to store.</summary>
    private AuditEvent AuditFor(CallScope scope, CallerIdentity caller, string operation, AuditRequestParameters parameters, string grantId) =>
        AuditEvents.Kms(operation, _region, _account, caller, scope.StartedAt, parameters, KeyArn, grantId, null, null);

    private async Task<KmsKey> ChangeState(
        CallerIdentity caller, string operation, string requestedKeyId, Func<KmsKey, KmsKey> change,
        AuditRequestParameters? parameters = null, Action? validate = null) =>
        await Execute(caller, operation, parameters ?? new AuditRequestParameters { KeyId = requestedKeyId }, validate, async (key, _) =>
        {
            await Authorize(key, new KmsCall(caller, operation));
            var changed = change(key);
            await Persist(changed);
            await Passed(CrashPoints.KeyStateStored);
            return Result(changed);
        });

    /// <summary>The stored key as of now; a key whose deletion window has passed is deleted here, once, with a DeleteKey record.</summary>
    private async Task<KmsKey> CurrentKey(DateTimeOffset now)
    {
        var key = state.State.Key ?? throw KeyLifecycle.NotFound(KeyArn);
        var aged = KeyLifecycle.AsOf(key, now);
        if (aged.State == KeyState.Deleted && key.State != KeyState.Deleted)
        {
            await Persist(aged);
            await Record(KmsService, KmsOperations.DeleteKey, new AuditRequestParameters { KeyId = key.Arn }, aged.DeletionDate ?? now);
        }

        return aged.State == KeyState.Deleted ? throw KeyLifecycle.NotFound(key.Arn) : aged;
    }

    private async Task<KmsAuthorization> Authorize(KmsKey key, KmsCall call)
    {
        var policies = await identityPolicies.For(call.Caller);
        if (KmsAuthorizer.NeedsAliases(key, policies))
        {
            // kms:ResourceAliases: the key's aliases live in its registry; asked only when a policy tests them.
            var aliases = await GrainFactory.GetGrain<IKeyRegistryGrain>(GrainKeys.TenantRegion(_account, _region)).ListAliases();
            call = call with { ResourceAliases = aliases.Where(a => a.TargetKeyId == _keyId).Select(a => a.AliasName).ToArray() };
        }

        return KmsAuthorizer.Authorize(key, _grants, call, policies, clock.UtcNow, _settings.PropagationDelay);
    }

    private static IReadOnlySet<string>? PresentedGrants(KmsKey key, IReadOnlyList<string>? tokens) =>
        GrantTokens.PresentedGrantIds(key.TokenSecret, key.Arn, tokens);

    private void InjectFault(CallerIdentity caller, string operation)
    {
        var callNumber = _calls++;

        var faultIdentity = state.State.Key is { } key ? FaultInjector.KeyIdentity(_account, _region, key.Description) : _keyId;
        if (FaultInjector.Decide(_settings.KmsFaults, operation, caller.Principal, faultIdentity, callNumber) is { } errorCode)
        {
            throw FaultInjector.Fault(errorCode, operation);
        }
    }

    private async Task EndGrant(Grant grant, GrantStatus status, CallerIdentity by, AuditEvent audit)
    {
        var ended = GrantLifecycle.End(grant, status, clock.UtcNow, by.Principal);
        await _grantStore.SaveAsync(ended, audit);
        _grants = _grants.Put(ended);
        await Passed(CrashPoints.GrantChangeStored);
        metrics.GrantEnded(_account, _region, status == GrantStatus.Revoked ? GrantSimMetrics.GrantStates.Revoked : GrantSimMetrics.GrantStates.Retired);
    }

    /// <summary>The key's metadata, with its multi-Region family when it has one.</summary>
    private async Task<KeyMetadata> DescribedAsync(KmsKey key) =>
        key.MultiRegion ? key.ToMetadata() with { MultiRegionConfiguration = await Family().Describe() } : key.ToMetadata();

    private IMultiRegionKeyGrain Family() => GrainFactory.GetGrain<IMultiRegionKeyGrain>($"{_account}/{_keyId}");

    private static AuditRequestParameters ReEncryptParameters(ReEncryptRequest request) => new()
    {
        KeyId = request.SourceKeyId, EncryptionContext = request.SourceEncryptionContext,
        DestinationKeyId = request.DestinationKeyId, DestinationEncryptionContext = request.DestinationEncryptionContext,
    };

    /// <summary>Announces a point between persisted steps (a test may crash the activation there).</summary>
    private ValueTask Passed(string point) => crashPoints.ReachAsync(point, GrainContext);

    private Task Persist(KmsKey key)
    {
        var previous = state.State.Key;
        return state.ChangeAsync(s => s.Key = key, s => s.Key = previous);
    }

    private Task Record(CallerIdentity caller, string operation, AuditRequestParameters parameters, DateTimeOffset time, string? grantId = null, string? responseKeyId = null, AwsServiceException? error = null) =>
        _audit.Record(AuditEvents.Kms(operation, _region, _account, caller, time, parameters, KeyArn, grantId, responseKeyId, error));
}
