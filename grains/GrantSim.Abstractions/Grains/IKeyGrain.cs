using GrantSim.Identity;
using GrantSim.Kms;
using GrantSim.Simulation;
using Orleans.Concurrency;

namespace GrantSim.Grains;

/// <summary>
/// One KMS key, keyed <c>account/region/keyId</c>: its state, material, policy and grants. The
/// linearization point for the key's state and for whether each of its grants is active, so a
/// revoke and a decrypt on one key never race. Every call is recorded in the audit trail. The
/// <c>KeyId</c> in a request is what the caller supplied (for the trail); routing has already
/// happened.
/// <para>
/// Encrypt, Decrypt and GenerateDataKey interleave: each decides (key state, grants, crypto) in
/// one turn and then only waits for its audit record, so a busy key's calls share trail appends
/// (<c>AuditBatcher</c>) instead of queueing behind one another's. A call that changes the key or
/// a grant still runs alone: it starts when no other call is running, and a crypto call that
/// starts during it sees the key as of that moment.
/// </para>
/// </summary>
[Alias("GrantSim.IKeyGrain")]
public interface IKeyGrain : IGrainWithStringKey
{
    [Alias("Initialize")] Task<KeyMetadata> Initialize(KeyCreation creation);
    [Alias("DescribeKey")] Task<KeyMetadata> DescribeKey(CallerIdentity caller, string requestedKeyId, IReadOnlyList<string>? grantTokens = null);
    [Alias("EnableKey")] Task EnableKey(CallerIdentity caller, string requestedKeyId);
    [Alias("DisableKey")] Task DisableKey(CallerIdentity caller, string requestedKeyId);
    [Alias("ScheduleKeyDeletion")] Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletion(CallerIdentity caller, string requestedKeyId, int? pendingWindowInDays);
    [Alias("CancelKeyDeletion")] Task<string> CancelKeyDeletion(CallerIdentity caller, string requestedKeyId);
    [Alias("GetKeyPolicy")] Task<string> GetKeyPolicy(CallerIdentity caller, string requestedKeyId);
    [Alias("PutKeyPolicy")] Task PutKeyPolicy(CallerIdentity caller, string requestedKeyId, string policy);
    [Alias("ListKeyPolicies")] Task<IReadOnlyList<string>> ListKeyPolicies(CallerIdentity caller, string requestedKeyId);
    [Alias("Encrypt"), AlwaysInterleave] Task<EncryptResponse> Encrypt(CallerIdentity caller, EncryptRequest request);
    [Alias("Decrypt"), AlwaysInterleave] Task<DecryptResponse> Decrypt(CallerIdentity caller, DecryptRequest request);
    [Alias("GenerateDataKey"), AlwaysInterleave] Task<GenerateDataKeyResponse> GenerateDataKey(CallerIdentity caller, GenerateDataKeyRequest request, bool withPlaintext);
    [Alias("ReEncryptFrom"), AlwaysInterleave] Task<ReEncryptSource> ReEncryptFrom(CallerIdentity caller, ReEncryptRequest request);
    [Alias("ReEncryptTo"), AlwaysInterleave] Task<ReEncryptResponse> ReEncryptTo(CallerIdentity caller, ReEncryptRequest request, ReEncryptSource source);
    [Alias("Sign"), AlwaysInterleave] Task<KeyBytes> Sign(CallerIdentity caller, SignRequest request);
    [Alias("Verify"), AlwaysInterleave] Task<string> Verify(CallerIdentity caller, SignRequest request);
    [Alias("GetPublicKey"), AlwaysInterleave] Task<PublicKeyResponse> GetPublicKey(CallerIdentity caller, string requestedKeyId, IReadOnlyList<string>? grantTokens);
    [Alias("GenerateMac"), AlwaysInterleave] Task<KeyBytes> GenerateMac(CallerIdentity caller, MacRequest request);
    [Alias("VerifyMac"), AlwaysInterleave] Task<string> VerifyMac(CallerIdentity caller, MacRequest request);
    [Alias("GenerateDataKeyPair"), AlwaysInterleave] Task<DataKeyPairResponse> GenerateDataKeyPair(CallerIdentity caller, DataKeyPairRequest request, bool withPlaintext);
    [Alias("DeriveSharedSecret"), AlwaysInterleave] Task<KeyBytes> DeriveSharedSecret(CallerIdentity caller, DeriveSharedSecretRequest request);
    [Alias("GetParametersForImport")] Task<ImportParameters> GetParametersForImport(CallerIdentity caller, string requestedKeyId, string wrappingAlgorithm, string wrappingKeySpec);
    [Alias("ImportKeyMaterial")] Task<KeyMaterialResult> ImportKeyMaterial(CallerIdentity caller, ImportKeyMaterialRequest request);
    [Alias("DeleteImportedKeyMaterial")] Task<KeyMaterialResult> DeleteImportedKeyMaterial(CallerIdentity caller, string requestedKeyId);
    [Alias("GetKeyLastUsage")] Task<KeyLastUsage> GetKeyLastUsage(CallerIdentity caller, string requestedKeyId);
    [Alias("ReplicateKey")] Task<KeyMetadata> ReplicateKey(CallerIdentity caller, ReplicateKeyRequest request);
    [Alias("UpdatePrimaryRegion")] Task UpdatePrimaryRegion(CallerIdentity caller, string requestedKeyId, string primaryRegion);
    [Alias("UpdateKeyDescription")] Task UpdateKeyDescription(CallerIdentity caller, string requestedKeyId, string description);
    [Alias("TagResource")] Task TagResource(CallerIdentity caller, string requestedKeyId, IReadOnlyList<KeyTag> tags);
    [Alias("UntagResource")] Task UntagResource(CallerIdentity caller, string requestedKeyId, IReadOnlyList<string> tagKeys);
    [Alias("ListResourceTags")] Task<IReadOnlyList<KeyTag>> ListResourceTags(CallerIdentity caller, string requestedKeyId);
    [Alias("EnableKeyRotation")] Task EnableKeyRotation(CallerIdentity caller, string requestedKeyId, int? rotationPeriodInDays);
    [Alias("DisableKeyRotation")] Task DisableKeyRotation(CallerIdentity caller, string requestedKeyId);
    [Alias("RotateKeyOnDemand")] Task<string> RotateKeyOnDemand(CallerIdentity caller, string requestedKeyId);
    [Alias("GetKeyRotationStatus")] Task<KeyRotationStatus> GetKeyRotationStatus(CallerIdentity caller, string requestedKeyId);
    [Alias("ListKeyRotations")] Task<IReadOnlyList<KeyRotationEntry>> ListKeyRotations(CallerIdentity caller, string requestedKeyId, bool includeInitialMaterial);
    [Alias("CreateGrant")] Task<CreateGrantResponse> CreateGrant(CallerIdentity caller, CreateGrantRequest request);
    [Alias("ListGrants")] Task<ListGrantsResponse> ListGrants(CallerIdentity caller, ListGrantsRequest request);
    [Alias("RetireGrant")] Task RetireGrant(CallerIdentity caller, RetireGrantRequest request, string grantId);
    [Alias("RevokeGrant")] Task RevokeGrant(CallerIdentity caller, string requestedKeyId, string grantId);

    /// <summary>Checks <paramref name="caller"/> may perform <paramref name="operation"/> on the key (for operations such as CreateAlias that live elsewhere).</summary>
    [Alias("Authorize")] Task<KeyMetadata> Authorize(CallerIdentity caller, string operation);

    /// <summary>Active grants whose retiring principal is <paramref name="retiringPrincipal"/> (ListRetirableGrants fans out over the keys).</summary>
    [Alias("GetRetirableGrants")] Task<IReadOnlyList<GrantListEntry>> GetRetirableGrants(string retiringPrincipal);

    /// <summary>Every grant the key ever had, with its status; not an AWS API (invariant checks).</summary>
    [Alias("GetGrantHistory")] Task<IReadOnlyList<GrantRecord>> GetGrantHistory();

    /// <summary>The key's metadata without authorization or audit, null when the key was never created; not an AWS API.</summary>
    [Alias("Peek")] Task<KeyMetadata?> Peek();

    [Alias("ApplySettings")] Task ApplySettings(SimulationSettings settings);
}
