using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Grains;

/// <summary>
/// The KMS API of one region, as its callers see it: resolves key ids, ARNs and aliases, routes
/// to the key grains, and records calls that fail before reaching a key. Keyed by region.
/// </summary>
[Alias("GrantSim.IKmsServiceGrain")]
public interface IKmsServiceGrain : IGrainWithStringKey
{
    [Alias("CreateKey")] Task<KeyMetadata> CreateKey(CallerIdentity caller, CreateKeyRequest request);
    [Alias("DescribeKey")] Task<KeyMetadata> DescribeKey(CallerIdentity caller, string keyId, IReadOnlyList<string>? grantTokens = null);
    [Alias("ListKeys")] Task<IReadOnlyList<KeyListEntry>> ListKeys(CallerIdentity caller);
    [Alias("CreateAlias")] Task CreateAlias(CallerIdentity caller, string aliasName, string targetKeyId);
    [Alias("UpdateAlias")] Task UpdateAlias(CallerIdentity caller, string aliasName, string targetKeyId);
    [Alias("DeleteAlias")] Task DeleteAlias(CallerIdentity caller, string aliasName);
    [Alias("UpdateKeyDescription")] Task UpdateKeyDescription(CallerIdentity caller, string keyId, string description);
    [Alias("TagResource")] Task TagResource(CallerIdentity caller, string keyId, IReadOnlyList<KeyTag> tags);
    [Alias("UntagResource")] Task UntagResource(CallerIdentity caller, string keyId, IReadOnlyList<string> tagKeys);
    [Alias("ListResourceTags")] Task<IReadOnlyList<KeyTag>> ListResourceTags(CallerIdentity caller, string keyId);
    [Alias("EnableKeyRotation")] Task EnableKeyRotation(CallerIdentity caller, string keyId, int? rotationPeriodInDays = null);
    [Alias("DisableKeyRotation")] Task DisableKeyRotation(CallerIdentity caller, string keyId);
    [Alias("RotateKeyOnDemand")] Task<string> RotateKeyOnDemand(CallerIdentity caller, string keyId);
    [Alias("GetKeyRotationStatus")] Task<KeyRotationStatus> GetKeyRotationStatus(CallerIdentity caller, string keyId);
    [Alias("ListKeyRotations")] Task<IReadOnlyList<KeyRotationEntry>> ListKeyRotations(CallerIdentity caller, string keyId, bool includeInitialMaterial = false);
    [Alias("Sign")] Task<KeyBytes> Sign(CallerIdentity caller, SignRequest request);
    [Alias("Verify")] Task<string> Verify(CallerIdentity caller, SignRequest request);
    [Alias("GetPublicKey")] Task<PublicKeyResponse> GetPublicKey(CallerIdentity caller, string keyId, IReadOnlyList<string>? grantTokens = null);
    [Alias("GenerateMac")] Task<KeyBytes> GenerateMac(CallerIdentity caller, MacRequest request);
    [Alias("VerifyMac")] Task<string> VerifyMac(CallerIdentity caller, MacRequest request);
    [Alias("GenerateDataKeyPair")] Task<DataKeyPairResponse> GenerateDataKeyPair(CallerIdentity caller, DataKeyPairRequest request, bool withPlaintext);
    [Alias("DeriveSharedSecret")] Task<KeyBytes> DeriveSharedSecret(CallerIdentity caller, DeriveSharedSecretRequest request);
    [Alias("GetParametersForImport")] Task<ImportParameters> GetParametersForImport(CallerIdentity caller, string keyId, string wrappingAlgorithm, string wrappingKeySpec);
    [Alias("ImportKeyMaterial")] Task<KeyMaterialResult> ImportKeyMaterial(CallerIdentity caller, ImportKeyMaterialRequest request);
    [Alias("DeleteImportedKeyMaterial")] Task<KeyMaterialResult> DeleteImportedKeyMaterial(CallerIdentity caller, string keyId);
    [Alias("GetKeyLastUsage")] Task<KeyLastUsage> GetKeyLastUsage(CallerIdentity caller, string keyId);
    [Alias("ReplicateKey")] Task<KeyMetadata> ReplicateKey(CallerIdentity caller, ReplicateKeyRequest request);
    [Alias("UpdatePrimaryRegion")] Task UpdatePrimaryRegion(CallerIdentity caller, string keyId, string primaryRegion);
    [Alias("ReEncrypt")] Task<ReEncryptResponse> ReEncrypt(CallerIdentity caller, ReEncryptRequest request);
    [Alias("ListAliases")] Task<IReadOnlyList<AliasListEntry>> ListAliases(CallerIdentity caller, string? keyId = null);
    [Alias("EnableKey")] Task EnableKey(CallerIdentity caller, string keyId);
    [Alias("DisableKey")] Task DisableKey(CallerIdentity caller, string keyId);
    [Alias("ScheduleKeyDeletion")] Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletion(CallerIdentity caller, string keyId, int? pendingWindowInDays = null);
    [Alias("CancelKeyDeletion")] Task<string> CancelKeyDeletion(CallerIdentity caller, string keyId);
    [Alias("GetKeyPolicy")] Task<string> GetKeyPolicy(CallerIdentity caller, string keyId);
    [Alias("PutKeyPolicy")] Task PutKeyPolicy(CallerIdentity caller, string keyId, string policy);
    [Alias("ListKeyPolicies")] Task<IReadOnlyList<string>> ListKeyPolicies(CallerIdentity caller, string keyId);

    /// <summary>Random bytes from KMS: allowed by IAM alone (no key); recorded in the caller's trail.</summary>
    [Alias("GenerateRandom")] Task<byte[]> GenerateRandom(CallerIdentity caller, int? numberOfBytes);
    [Alias("Encrypt")] Task<EncryptResponse> Encrypt(CallerIdentity caller, EncryptRequest request);
    [Alias("Decrypt")] Task<DecryptResponse> Decrypt(CallerIdentity caller, DecryptRequest request);
    [Alias("GenerateDataKey")] Task<GenerateDataKeyResponse> GenerateDataKey(CallerIdentity caller, GenerateDataKeyRequest request);
    [Alias("GenerateDataKeyWithoutPlaintext")] Task<GenerateDataKeyResponse> GenerateDataKeyWithoutPlaintext(CallerIdentity caller, GenerateDataKeyRequest request);
    [Alias("CreateGrant")] Task<CreateGrantResponse> CreateGrant(CallerIdentity caller, CreateGrantRequest request);
    [Alias("ListGrants")] Task<ListGrantsResponse> ListGrants(CallerIdentity caller, ListGrantsRequest request);
    [Alias("ListRetirableGrants")] Task<ListGrantsResponse> ListRetirableGrants(CallerIdentity caller, string retiringPrincipal, int? limit = null, string? marker = null);
    [Alias("RetireGrant")] Task RetireGrant(CallerIdentity caller, RetireGrantRequest request);
    [Alias("RevokeGrant")] Task RevokeGrant(CallerIdentity caller, string keyId, string grantId);
}
