namespace GrantSim.Kms;

/// <summary>Sign or Verify: a message of up to 4096 bytes (RAW) or its digest (DIGEST), with a signing algorithm of the key.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.SignRequest")]
public sealed record SignRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] Message,
    [property: Id(2)] string SigningAlgorithm,
    [property: Id(3)] string? MessageType = null,
    [property: Id(4)] byte[]? Signature = null,
    [property: Id(5)] IReadOnlyList<string>? GrantTokens = null);

/// <summary>GenerateMac or VerifyMac with an HMAC key.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.MacRequest")]
public sealed record MacRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] Message,
    [property: Id(2)] string MacAlgorithm,
    [property: Id(3)] byte[]? Mac = null,
    [property: Id(4)] IReadOnlyList<string>? GrantTokens = null);

/// <summary>GetPublicKey's answer: the SubjectPublicKeyInfo (DER) and what the key may do.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.PublicKeyResponse")]
public sealed record PublicKeyResponse(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] PublicKey,
    [property: Id(2)] string KeySpec,
    [property: Id(3)] string KeyUsage);

/// <summary>GenerateDataKeyPair(WithoutPlaintext): a key pair whose private key is encrypted under a symmetric KMS key.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.DataKeyPairRequest")]
public sealed record DataKeyPairRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string KeyPairSpec,
    [property: Id(2)] EncryptionContext? EncryptionContext = null,
    [property: Id(3)] IReadOnlyList<string>? GrantTokens = null);

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.DataKeyPairResponse")]
public sealed record DataKeyPairResponse(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string KeyPairSpec,
    [property: Id(2)] byte[] PrivateKeyCiphertextBlob,
    [property: Id(3)] byte[]? PrivateKeyPlaintext,
    [property: Id(4)] byte[] PublicKey);

/// <summary>DeriveSharedSecret: ECDH between a KEY_AGREEMENT key and a peer's public key (SubjectPublicKeyInfo, DER).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.DeriveSharedSecretRequest")]
public sealed record DeriveSharedSecretRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string KeyAgreementAlgorithm,
    [property: Id(2)] byte[] PublicKey,
    [property: Id(3)] IReadOnlyList<string>? GrantTokens = null);

/// <summary>What Sign, GenerateMac and DeriveSharedSecret answer: the key's ARN and the bytes (signature, MAC, shared secret).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyBytes")]
public sealed record KeyBytes([property: Id(0)] string KeyArn, [property: Id(1)] byte[] Bytes);
