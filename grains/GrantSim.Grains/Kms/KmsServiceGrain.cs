using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Iam;
using GrantSim.Identity;
using GrantSim.Paging;
using Orleans.Concurrency;

namespace GrantSim.Kms;

/// <summary>
/// The KMS endpoint of a region: stateless, so every silo runs as many as it needs. It resolves
/// key references and routes to key grains; calls that fail before reaching a key (an unknown
/// alias, a malformed token) are recorded here, in the caller's trail. Reentrant: it holds nothing,
/// and a worker that waited for each call to finish would let only one KMS call per core be in
/// flight in the whole silo, so a busy key would never see two calls to batch.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class KmsServiceGrain(SimulationClock clock, KeyReferences keyReferences, AuditWriter auditWriter, IdentityPolicies identityPolicies) : Grain, IKmsServiceGrain
{
    private string Region => this.GetPrimaryKeyString();

    public Task<KeyMetadata> CreateKey(CallerIdentity caller, CreateKeyRequest request) =>
        Registry(RequireAccount(caller, KmsOperations.CreateKey)).CreateKey(caller, request);

    public async Task<KeyMetadata> DescribeKey(CallerIdentity caller, string keyId, IReadOnlyList<string>? grantTokens = null) =>
        await (await KeyFor(caller, KmsOperations.DescribeKey, keyId)).DescribeKey(caller, keyId, grantTokens);

    public async Task<IReadOnlyList<KeyListEntry>> ListKeys(CallerIdentity caller)
    {
        var account = await RequireIamPermission(caller, KmsOperations.ListKeys);
        var keys = await Registry(account).ListKeys();
        await Record(caller, KmsOperations.ListKeys, new AuditRequestParameters(), account);
        return keys;
    }

    public async Task CreateAlias(CallerIdentity caller, string aliasName, string targetKeyId)
    {
        var account = RequireAccount(caller, KmsOperations.CreateAlias);
        var target = await Resolve(caller, KmsOperations.CreateAlias, targetKeyId, new AuditRequestParameters { AliasName = aliasName, TargetKeyId = targetKeyId });
        await Registry(account).CreateAlias(caller, aliasName, target);
    }

    public async Task UpdateAlias(CallerIdentity caller, string aliasName, string targetKeyId)
    {
        var account = RequireAccount(caller, KmsOperations.UpdateAlias);
        var target = await Resolve(caller, KmsOperations.UpdateAlias, targetKeyId, new AuditRequestParameters { AliasName = aliasName, TargetKeyId = targetKeyId });
        await Registry(account).UpdateAlias(caller, aliasName, target);
    }

    public Task DeleteAlias(CallerIdentity caller, string aliasName) =>
        Registry(RequireAccount(caller, KmsOperations.DeleteAlias)).DeleteAlias(caller, aliasName);

    public async Task UpdateKeyDescription(CallerIdentity caller, string keyId, string description) =>
        await (await KeyFor(caller, KmsOperations.UpdateKeyDescription, keyId)).UpdateKeyDescription(caller, keyId, description);

    public async Task TagResource(CallerIdentity caller, string keyId, IReadOnlyList<KeyTag> tags) =>
        await (await KeyFor(caller, KmsOperations.TagResource, keyId, requireKeyId: true)).TagResource(caller, keyId, tags);

    public async Task UntagResource(CallerIdentity caller, string keyId, IReadOnlyList<string> tagKeys) =>
        await (await KeyFor(caller, KmsOperations.UntagResource, keyId, requireKeyId: true)).UntagResource(caller, keyId, tagKeys);

    public async Task<IReadOnlyList<KeyTag>> ListResourceTags(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.ListResourceTags, keyId, requireKeyId: true)).ListResourceTags(caller, keyId);

    public async Task EnableKeyRotation(CallerIdentity caller, string keyId, int? rotationPeriodInDays) =>
        await (await KeyFor(caller, KmsOperations.EnableKeyRotation, keyId, requireKeyId: true)).EnableKeyRotation(caller, keyId, rotationPeriodInDays);

    public async Task DisableKeyRotation(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.DisableKeyRotation, keyId, requireKeyId: true)).DisableKeyRotation(caller, keyId);

    public async Task<string> RotateKeyOnDemand(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.RotateKeyOnDemand, keyId, requireKeyId: true)).RotateKeyOnDemand(caller, keyId);

    public async Task<KeyRotationStatus> GetKeyRotationStatus(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.GetKeyRotationStatus, keyId, requireKeyId: true)).GetKeyRotationStatus(caller, keyId);

    public async Task<IReadOnlyList<KeyRotationEntry>> ListKeyRotations(CallerIdentity caller, string keyId, bool includeInitialMaterial = false) =>
        await (await KeyFor(caller, KmsOperations.ListKeyRotations, keyId, requireKeyId: true)).ListKeyRotations(caller, keyId, includeInitialMaterial);

    public async Task<KeyBytes> Sign(CallerIdentity caller, SignRequest request) =>
        await (await KeyFor(caller, KmsOperations.Sign, request.KeyId)).Sign(caller, request);

    public async Task<string> Verify(CallerIdentity caller, SignRequest request) =>
        await (await KeyFor(caller, KmsOperations.Verify, request.KeyId)).Verify(caller, request);

    public async Task<PublicKeyResponse> GetPublicKey(CallerIdentity caller, string keyId, IReadOnlyList<string>? grantTokens = null) =>
        await (await KeyFor(caller, KmsOperations.GetPublicKey, keyId)).GetPublicKey(caller, keyId, grantTokens);

    public async Task<KeyBytes> GenerateMac(CallerIdentity caller, MacRequest request) =>
        await (await KeyFor(caller, KmsOperations.GenerateMac, request.KeyId)).GenerateMac(caller, request);

    public async Task<string> VerifyMac(CallerIdentity caller, MacRequest request) =>
        await (await KeyFor(caller, KmsOperations.VerifyMac, request.KeyId)).VerifyMac(caller, request);

    public async Task<DataKeyPairResponse> GenerateDataKeyPair(CallerIdentity caller, DataKeyPairRequest request, bool withPlaintext) =>
        await (await KeyFor(caller, withPlaintext ? KmsOperations.GenerateDataKeyPair : KmsOperations.GenerateDataKeyPairWithoutPlaintext, request.KeyId, request.EncryptionContext))
            .GenerateDataKeyPair(caller, request, withPlaintext);

    public async Task<KeyBytes> DeriveSharedSecret(CallerIdentity caller, DeriveSharedSecretRequest request) =>
        await (await KeyFor(caller, KmsOperations.DeriveSharedSecret, request.KeyId)).DeriveSharedSecret(caller, request);

    public async Task<ImportParameters> GetParametersForImport(CallerIdentity caller, string keyId, string wrappingAlgorithm, string wrappingKeySpec) =>
        await (await KeyFor(caller, KmsOperations.GetParametersForImport, keyId, requireKeyId: true)).GetParametersForImport(caller, keyId, wrappingAlgorithm, wrappingKeySpec);

    public async Task<KeyMaterialResult> ImportKeyMaterial(CallerIdentity caller, ImportKeyMaterialRequest request) =>
        await (await KeyFor(caller, KmsOperations.ImportKeyMaterial, request.KeyId, requireKeyId: true)).ImportKeyMaterial(caller, request);

    public async Task<KeyMaterialResult> DeleteImportedKeyMaterial(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.DeleteImportedKeyMaterial, keyId, requireKeyId: true)).DeleteImportedKeyMaterial(caller, keyId);

    public async Task<KeyLastUsage> GetKeyLastUsage(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.GetKeyLastUsage, keyId)).GetKeyLastUsage(caller, keyId);

    public async Task<KeyMetadata> ReplicateKey(CallerIdentity caller, ReplicateKeyRequest request) =>
        await (await KeyFor(caller, KmsOperations.ReplicateKey, request.KeyId)).ReplicateKey(caller, request);

    public async Task UpdatePrimaryRegion(CallerIdentity caller, string keyId, string primaryRegion) =>
        await (await KeyFor(caller, KmsOperations.UpdatePrimaryRegion, keyId)).UpdatePrimaryRegion(caller, keyId, primaryRegion);

    /// <summary>
    /// ReEncrypt: the source key (the one the ciphertext names; SourceKeyId, when given, must name it too)
    /// decrypts as ReEncryptFrom, then the destination key encrypts as ReEncryptTo. Each is authorized on its
    /// own key, by policy or grant, with its own encryption context, and each records the call in its trail.
    /// </summary>
    public async Task<ReEncryptResponse> ReEncrypt(CallerIdentity caller, ReEncryptRequest request)
    {
        var parameters = new AuditRequestParameters
        {
            KeyId = request.SourceKeyId, EncryptionContext = request.SourceEncryptionContext,
            DestinationKeyId = request.DestinationKeyId, DestinationEncryptionContext = request.DestinationEncryptionContext,
        };
        var sourceKey = await CiphertextKey(caller, KmsOperations.ReEncrypt, request.CiphertextBlob, request.SourceKeyId, parameters);
        var destinationKey = await Resolve(caller, KmsOperations.ReEncrypt, request.DestinationKeyId, parameters);
        var source = await Key(sourceKey).ReEncryptFrom(caller, request);
        return await Key(destinationKey).ReEncryptTo(caller, request, source);
    }

    public async Task<IReadOnlyList<AliasListEntry>> ListAliases(CallerIdentity caller, string? keyId = null)
    {
        var account = await RequireIamPermission(caller, KmsOperations.ListAliases);
        var target = keyId is null ? null : Arn.Parse(await Resolve(caller, KmsOperations.ListAliases, keyId, new AuditRequestParameters { KeyId = keyId })).KeyId;
        var aliases = (await Registry(account).ListAliases()).Where(a => target is null || a.TargetKeyId == target).ToArray();
        await Record(caller, KmsOperations.ListAliases, new AuditRequestParameters { KeyId = keyId }, account);
        return aliases;
    }

    public async Task EnableKey(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.EnableKey, keyId)).EnableKey(caller, keyId);

    public async Task DisableKey(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.DisableKey, keyId)).DisableKey(caller, keyId);

    public async Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletion(CallerIdentity caller, string keyId, int? pendingWindowInDays = null) =>
        await (await KeyFor(caller, KmsOperations.ScheduleKeyDeletion, keyId)).ScheduleKeyDeletion(caller, keyId, pendingWindowInDays);

    public async Task<string> CancelKeyDeletion(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.CancelKeyDeletion, keyId)).CancelKeyDeletion(caller, keyId);

    public async Task<string> GetKeyPolicy(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.GetKeyPolicy, keyId)).GetKeyPolicy(caller, keyId);

    public async Task<IReadOnlyList<string>> ListKeyPolicies(CallerIdentity caller, string keyId) =>
        await (await KeyFor(caller, KmsOperations.ListKeyPolicies, keyId)).ListKeyPolicies(caller, keyId);

    public async Task<byte[]> GenerateRandom(CallerIdentity caller, int? numberOfBytes)
    {
        var account = await RequireIamPermission(caller, KmsOperations.GenerateRandom);
        var parameters = new AuditRequestParameters { NumberOfBytes = numberOfBytes };
        var length = await RefusalRecorded(caller, KmsOperations.GenerateRandom, parameters, account, () => DataKeys.RandomLength(numberOfBytes));
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
        await Record(caller, KmsOperations.GenerateRandom, parameters, account);
        return bytes;
    }

    public async Task PutKeyPolicy(CallerIdentity caller, string keyId, string policy) =>
        await (await KeyFor(caller, KmsOperations.PutKeyPolicy, keyId)).PutKeyPolicy(caller, keyId, policy);

    public async Task<EncryptResponse> Encrypt(CallerIdentity caller, EncryptRequest request) =>
        await (await KeyFor(caller, KmsOperations.Encrypt, request.KeyId, request.EncryptionContext)).Encrypt(caller, request);

    public async Task<GenerateDataKeyResponse> GenerateDataKey(CallerIdentity caller, GenerateDataKeyRequest request) =>
        await (await KeyFor(caller, KmsOperations.GenerateDataKey, request.KeyId, request.EncryptionContext)).GenerateDataKey(caller, request, withPlaintext: true);

    public async Task<GenerateDataKeyResponse> GenerateDataKeyWithoutPlaintext(CallerIdentity caller, GenerateDataKeyRequest request) =>
        await (await KeyFor(caller, KmsOperations.GenerateDataKeyWithoutPlaintext, request.KeyId, request.EncryptionContext)).GenerateDataKey(caller, request, withPlaintext: false);

    public async Task<DecryptResponse> Decrypt(CallerIdentity caller, DecryptRequest request)
    {
        var parameters = new AuditRequestParameters { KeyId = request.KeyId, EncryptionContext = request.EncryptionContext };
        var blobKey = await CiphertextKey(caller, KmsOperations.Decrypt, request.CiphertextBlob, request.KeyId, parameters);
        return await Key(blobKey).Decrypt(caller, request);
    }

    /// <summary>
    /// The key of this Region that may decrypt a ciphertext of <paramref name="arn"/>: that key when it is in this Region, the
    /// related replica of a multi-Region key of another Region of the partition, and otherwise none (InvalidCiphertextException).
    /// </summary>
    private string InThisRegion(Arn arn) =>
        arn.Region == Region ? arn.ToString()
        : MultiRegionKeys.IsId(arn.KeyId) && arn.Partition == Regions.PartitionOf(Region) ? Arn.KmsKey(Region, arn.Account, arn.KeyId).ToString()
        : throw KmsCiphertext.Invalid();

    /// <summary>The key a ciphertext names in its header; a key the caller also named must be that key (IncorrectKeyException).</summary>
    private async Task<string> CiphertextKey(CallerIdentity caller, string operation, byte[]? ciphertext, string? namedKeyId, AuditRequestParameters parameters)
    {
        var headerKey = await RefusalRecorded(caller, operation, parameters, caller.Account, () =>
        {
            caller.ValidateFor(Region);
            return ciphertext is not null && KmsCiphertext.TryReadKeyArn(ciphertext, out var arn)
                ? InThisRegion(Arn.Parse(arn))
                : namedKeyId is not null ? "" : throw KmsCiphertext.Invalid();
        });
        if (headerKey.Length == 0)
        {
            // No symmetric header: an asymmetric (RSA) ciphertext names no key, so the request must, and that key decides.
            return await Resolve(caller, operation, namedKeyId!, parameters);
        }

        var blobKey = headerKey;
        if (namedKeyId is not null)
        {
            var named = await Resolve(caller, operation, namedKeyId, parameters);
            await RefusalRecorded(caller, operation, parameters, caller.Account, () =>
            {
                KmsCiphertext.RequireNamedKey(blobKey, named);
                return blobKey;
            });
        }

        return blobKey;
    }

    public async Task<CreateGrantResponse> CreateGrant(CallerIdentity caller, CreateGrantRequest request) =>
        await (await KeyFor(caller, KmsOperations.CreateGrant, request.KeyId)).CreateGrant(caller, request);

    public async Task<ListGrantsResponse> ListGrants(CallerIdentity caller, ListGrantsRequest request) =>
        await (await KeyFor(caller, KmsOperations.ListGrants, request.KeyId)).ListGrants(caller, request);

    public async Task<ListGrantsResponse> ListRetirableGrants(CallerIdentity caller, string retiringPrincipal, int? limit = null, string? marker = null)
    {
        var account = await RequireIamPermission(caller, KmsOperations.ListRetirableGrants);
        var parameters = new AuditRequestParameters { RetiringPrincipal = retiringPrincipal };
        var start = await RefusalRecorded(caller, KmsOperations.ListRetirableGrants, parameters, account, () =>
            limit is not (< 1 or > GrantListing.MaxLimit) && OffsetPages.TryReadCursor(marker, out var offset)
                ? offset
                : throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: limit must be between 1 and {GrantListing.MaxLimit} and marker one that ListRetirableGrants returned."));

        var keys = await Registry(account).ListKeys();
        var perKey = await Task.WhenAll(keys.Select(k => Key(k.KeyArn).GetRetirableGrants(retiringPrincipal)));
        var (page, next) = OffsetPages.Cut(perKey.SelectMany(g => g).ToArray(), limit ?? GrantListing.DefaultLimit, start);
        await Record(caller, KmsOperations.ListRetirableGrants, parameters, account);
        return new ListGrantsResponse(page, next);
    }

    public async Task RetireGrant(CallerIdentity caller, RetireGrantRequest request)
    {
        var parameters = new AuditRequestParameters { KeyId = request.KeyId, GrantId = request.GrantId };
        string keyArn, grantId;
        if (request.GrantToken is not null)
        {
            if (!GrantTokens.TryRead(request.GrantToken, out var tokenKey, out var tokenGrant) || Arn.Parse(tokenKey).Region != Region)
            {
                var error = GrantTokens.Invalid();
                await Record(caller, KmsOperations.RetireGrant, parameters, caller.Account, error: error);
                throw error;
            }

            (keyArn, grantId) = (tokenKey, tokenGrant);
        }
        else if (request.KeyId is not null && request.GrantId is not null)
        {
            keyArn = await Resolve(caller, KmsOperations.RetireGrant, request.KeyId, parameters);
            grantId = request.GrantId;
        }
        else
        {
            var error = new AwsServiceException(AwsErrorCodes.Validation, "Either GrantToken, or both KeyId and GrantId, must be specified.");
            await Record(caller, KmsOperations.RetireGrant, parameters, caller.Account, error: error);
            throw error;
        }

        await Key(keyArn).RetireGrant(caller, request, grantId);
    }

    public async Task RevokeGrant(CallerIdentity caller, string keyId, string grantId) =>
        await (await KeyFor(caller, KmsOperations.RevokeGrant, keyId)).RevokeGrant(caller, keyId, grantId);

    /// <summary>
    /// The grain of the key a request names. Operations whose model names the member KeyId "key ID or key ARN"
    /// only (tags, rotation) refuse an alias, as KMS does (<paramref name="requireKeyId"/>).
    /// </summary>
    private async Task<IKeyGrain> KeyFor(CallerIdentity caller, string operation, string keyId, EncryptionContext? context = null, bool requireKeyId = false)
    {
        var parameters = new AuditRequestParameters { KeyId = keyId, EncryptionContext = context };
        if (requireKeyId)
        {
            await RefusalRecorded(caller, operation, parameters, caller.Account, () => KeyReferences.RequireKeyIdOrArn(keyId, operation));
        }

        return Key(await Resolve(caller, operation, keyId, parameters));
    }

    private Task<string> Resolve(CallerIdentity caller, string operation, string keyReference, AuditRequestParameters parameters) =>
        RefusalRecorded(caller, operation, parameters, caller.Account, () =>
        {
            caller.ValidateFor(Region);
            var account = caller.Account ?? (Arn.TryParse(keyReference, out var arn) ? arn.Account : null)
                ?? throw new AwsServiceException(AwsErrorCodes.NotFound, $"Key '{keyReference}' does not exist: a service principal must name keys by ARN.");
            return keyReferences.ResolveAsync(keyReference, account, Region);
        });

    private string RequireAccount(CallerIdentity caller, string operation)
    {
        caller.ValidateFor(Region);
        return caller.Account ?? throw new AwsServiceException(AwsErrorCodes.AccessDenied, $"A service principal cannot call {operation}.");
    }

    /// <summary>Operations on no particular key are allowed by IAM alone.</summary>
    private async Task<string> RequireIamPermission(CallerIdentity caller, string operation)
    {
        var account = RequireAccount(caller, operation);
        return await RefusalRecorded(caller, operation, new AuditRequestParameters(), account, async () =>
        {
            await identityPolicies.Require(caller, KmsOperations.Action(operation), "*");
            return account;
        });
    }

    private IKeyGrain Key(string keyArn) => GrainFactory.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(keyArn)));

    private IKeyRegistryGrain Registry(string account) => GrainFactory.GetGrain<IKeyRegistryGrain>(GrainKeys.TenantRegion(account, Region));

    /// <summary>A check that may refuse before any key is reached: its refusal is recorded in the caller's trail.</summary>
    private Task<T> RefusalRecorded<T>(CallerIdentity caller, string operation, AuditRequestParameters parameters, string? account, Func<Task<T>> check) =>
        Refusals.Recorded(check, error => Record(caller, operation, parameters, account, error));

    /// <inheritdoc cref="RefusalRecorded{T}(CallerIdentity, string, AuditRequestParameters, string?, Func{Task{T}})"/>
    private Task<T> RefusalRecorded<T>(CallerIdentity caller, string operation, AuditRequestParameters parameters, string? account, Func<T> check) =>
        Refusals.Recorded(check, error => Record(caller, operation, parameters, account, error));

    private Task Record(CallerIdentity caller, string operation, AuditRequestParameters parameters, string? account, AwsServiceException? error = null) =>
        account is null
            ? Task.CompletedTask
            : auditWriter.Record(AuditEvents.Kms(operation, Region, account, caller, clock.UtcNow, parameters, null, error: error));
}
