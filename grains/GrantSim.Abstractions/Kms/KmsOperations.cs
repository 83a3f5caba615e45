using System.Collections.Frozen;

namespace GrantSim.Kms;

/// <summary>KMS operation names: the API names, the audit trail's <c>eventName</c>s and grant operations.</summary>
public static class KmsOperations
{
    public const string CreateKey = "CreateKey";
    public const string DescribeKey = "DescribeKey";
    public const string ListKeys = "ListKeys";
    public const string CreateAlias = "CreateAlias";
    public const string ListAliases = "ListAliases";
    public const string EnableKey = "EnableKey";
    public const string DisableKey = "DisableKey";
    public const string ScheduleKeyDeletion = "ScheduleKeyDeletion";
    public const string CancelKeyDeletion = "CancelKeyDeletion";
    public const string DeleteKey = "DeleteKey";
    public const string GetKeyPolicy = "GetKeyPolicy";
    public const string PutKeyPolicy = "PutKeyPolicy";
    public const string Encrypt = "Encrypt";
    public const string Decrypt = "Decrypt";
    public const string GenerateDataKey = "GenerateDataKey";
    public const string GenerateDataKeyWithoutPlaintext = "GenerateDataKeyWithoutPlaintext";
    public const string ReEncryptFrom = "ReEncryptFrom";
    public const string ReEncryptTo = "ReEncryptTo";
    public const string CreateGrant = "CreateGrant";
    public const string ListGrants = "ListGrants";
    public const string ListRetirableGrants = "ListRetirableGrants";
    public const string RetireGrant = "RetireGrant";
    public const string RevokeGrant = "RevokeGrant";
    public const string ListKeyPolicies = "ListKeyPolicies";
    public const string GenerateRandom = "GenerateRandom";
    public const string UpdateAlias = "UpdateAlias";
    public const string DeleteAlias = "DeleteAlias";
    public const string UpdateKeyDescription = "UpdateKeyDescription";
    public const string TagResource = "TagResource";
    public const string UntagResource = "UntagResource";
    public const string ListResourceTags = "ListResourceTags";
    public const string ReEncrypt = "ReEncrypt";
    public const string EnableKeyRotation = "EnableKeyRotation";
    public const string DisableKeyRotation = "DisableKeyRotation";
    public const string GetKeyRotationStatus = "GetKeyRotationStatus";
    public const string RotateKeyOnDemand = "RotateKeyOnDemand";
    public const string ListKeyRotations = "ListKeyRotations";
    public const string Sign = "Sign";
    public const string Verify = "Verify";
    public const string GetPublicKey = "GetPublicKey";
    public const string GenerateMac = "GenerateMac";
    public const string VerifyMac = "VerifyMac";
    public const string GenerateDataKeyPair = "GenerateDataKeyPair";
    public const string GenerateDataKeyPairWithoutPlaintext = "GenerateDataKeyPairWithoutPlaintext";
    public const string DeriveSharedSecret = "DeriveSharedSecret";
    public const string GetParametersForImport = "GetParametersForImport";
    public const string ImportKeyMaterial = "ImportKeyMaterial";
    public const string DeleteImportedKeyMaterial = "DeleteImportedKeyMaterial";
    public const string ReplicateKey = "ReplicateKey";
    public const string UpdatePrimaryRegion = "UpdatePrimaryRegion";
    public const string GetKeyLastUsage = "GetKeyLastUsage";

    /// <summary>The cryptographic operations GetKeyLastUsage reports (the model's KeyLastUsageTrackingOperation).</summary>
    public static FrozenSet<string> TrackedUsage { get; } = new[]
    {
        Decrypt, DeriveSharedSecret, Encrypt, GenerateDataKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyWithoutPlaintext,
        GenerateMac, ReEncrypt, Sign, Verify, VerifyMac,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The name of a key's one key policy: what GetKeyPolicy and PutKeyPolicy accept and ListKeyPolicies lists.</summary>
    public const string DefaultPolicyName = "default";

    /// <summary>Operations a grant may allow (KMS's GrantOperation enum).</summary>
    public static FrozenSet<string> Grantable { get; } = new[]
    {
        Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo,
        Sign, Verify, GetPublicKey, CreateGrant, RetireGrant, DescribeKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext,
        GenerateMac, VerifyMac, DeriveSharedSecret,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Grant operations that take an encryption context, to which grant constraints apply.</summary>
    public static FrozenSet<string> TakingEncryptionContext { get; } = new[]
    {
        Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The grant operations a key of <paramref name="spec"/> and <paramref name="usage"/> can perform, as KMS checks them at
    /// CreateGrant (besides CreateGrant, RetireGrant and DescribeKey, which every key has).
    /// </summary>
    public static IReadOnlySet<string> GrantableFor(string spec, string usage) => (spec, usage) switch
    {
        (KeySpecs.SymmetricDefault, _) => SymmetricGrantable,
        (_, KeySpecs.EncryptDecrypt) => new HashSet<string>(Common) { Encrypt, Decrypt, ReEncryptFrom, ReEncryptTo, GetPublicKey },
        (_, KeySpecs.SignVerify) => new HashSet<string>(Common) { Sign, Verify, GetPublicKey },
        (_, KeySpecs.GenerateVerifyMac) => new HashSet<string>(Common) { GenerateMac, VerifyMac },
        _ => new HashSet<string>(Common) { DeriveSharedSecret, GetPublicKey },
    };

    private static readonly string[] Common = [CreateGrant, RetireGrant, DescribeKey];

    private static readonly FrozenSet<string> SymmetricGrantable = new[]
    {
        Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, GenerateDataKeyPair,
        GenerateDataKeyPairWithoutPlaintext, CreateGrant, RetireGrant, DescribeKey,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The IAM action name for an operation, e.g. <c>kms:CreateGrant</c>.</summary>
    public static string Action(string operation) => "kms:" + operation;
}
