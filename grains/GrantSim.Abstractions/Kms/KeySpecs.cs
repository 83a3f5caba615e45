using System.Collections.Frozen;

namespace GrantSim.Kms;

/// <summary>
/// KMS key specs and key usages, and the algorithms each allows (the KMS developer guide's tables).
/// The specs GrantSim simulates are the symmetric, RSA, NIST and SECG elliptic-curve and HMAC specs;
/// SM2 (China Regions only), ML-DSA and Ed25519 are in the service model but not simulated: they are
/// refused plainly (UnsupportedOperationException), never faked.
/// </summary>
public static class KeySpecs
{
    public const string SymmetricDefault = "SYMMETRIC_DEFAULT";
    public const string EncryptDecrypt = "ENCRYPT_DECRYPT";
    public const string SignVerify = "SIGN_VERIFY";
    public const string GenerateVerifyMac = "GENERATE_VERIFY_MAC";
    public const string KeyAgreement = "KEY_AGREEMENT";

    public const string RsaOaepSha1 = "RSAES_OAEP_SHA_1";
    public const string RsaOaepSha256 = "RSAES_OAEP_SHA_256";
    public const string Ecdh = "ECDH";

    /// <summary>One key spec: the usages it may have and the algorithms of each.</summary>
    public sealed record Spec(
        string Name,
        IReadOnlyList<string> Usages,
        IReadOnlyList<string> EncryptionAlgorithms,
        IReadOnlyList<string> SigningAlgorithms,
        IReadOnlyList<string> MacAlgorithms,
        IReadOnlyList<string> KeyAgreementAlgorithms)
    {
        public bool IsRsa => Name.StartsWith("RSA_", StringComparison.Ordinal);

        public bool IsEcc => Name.StartsWith("ECC_", StringComparison.Ordinal);

        public bool IsHmac => Name.StartsWith("HMAC_", StringComparison.Ordinal);

        public bool IsSymmetric => Name == SymmetricDefault;

        /// <summary>The algorithms DescribeKey and GetPublicKey list for a key of this spec and <paramref name="usage"/>.</summary>
        public IReadOnlyList<string> EncryptionAlgorithmsFor(string usage) => usage == EncryptDecrypt ? EncryptionAlgorithms : [];

        public IReadOnlyList<string> SigningAlgorithmsFor(string usage) => usage == SignVerify ? SigningAlgorithms : [];

        public IReadOnlyList<string> MacAlgorithmsFor(string usage) => usage == GenerateVerifyMac ? MacAlgorithms : [];

        public IReadOnlyList<string> KeyAgreementAlgorithmsFor(string usage) => usage == KeyAgreement ? KeyAgreementAlgorithms : [];
    }

    private static readonly string[] RsaSigning =
        ["RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"];

    public static FrozenDictionary<string, Spec> Simulated { get; } = new Spec[]
    {
        new(SymmetricDefault, [EncryptDecrypt], [SymmetricDefault], [], [], []),
        new("RSA_2048", [EncryptDecrypt, SignVerify], [RsaOaepSha1, RsaOaepSha256], RsaSigning, [], []),
        new("RSA_3072", [EncryptDecrypt, SignVerify], [RsaOaepSha1, RsaOaepSha256], RsaSigning, [], []),
        new("RSA_4096", [EncryptDecrypt, SignVerify], [RsaOaepSha1, RsaOaepSha256], RsaSigning, [], []),
        new("ECC_NIST_P256", [SignVerify, KeyAgreement], [], ["ECDSA_SHA_256"], [], [Ecdh]),
        new("ECC_NIST_P384", [SignVerify, KeyAgreement], [], ["ECDSA_SHA_384"], [], [Ecdh]),
        new("ECC_NIST_P521", [SignVerify, KeyAgreement], [], ["ECDSA_SHA_512"], [], [Ecdh]),
        new("ECC_SECG_P256K1", [SignVerify], [], ["ECDSA_SHA_256"], [], []),
        new("HMAC_224", [GenerateVerifyMac], [], [], ["HMAC_SHA_224"], []),
        new("HMAC_256", [GenerateVerifyMac], [], [], ["HMAC_SHA_256"], []),
        new("HMAC_384", [GenerateVerifyMac], [], [], ["HMAC_SHA_384"], []),
        new("HMAC_512", [GenerateVerifyMac], [], [], ["HMAC_SHA_512"], []),
    }.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Key pair specs GenerateDataKeyPair makes (the model's DataKeyPairSpec, less SM2 and Ed25519).</summary>
    public static FrozenSet<string> DataKeyPairs { get; } =
        new[] { "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1" }.ToFrozenSet(StringComparer.Ordinal);

    public static Spec Of(string? name) => Simulated[name ?? SymmetricDefault];
}
