namespace GrantSim.Kms;

/// <summary>
/// ReEncrypt: decrypts <see cref="CiphertextBlob"/> under its key (authorized as ReEncryptFrom, with
/// <see cref="SourceEncryptionContext"/>) and encrypts the plaintext under
/// <see cref="DestinationKeyId"/> (authorized as ReEncryptTo, with
/// <see cref="DestinationEncryptionContext"/>); the plaintext never leaves KMS.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ReEncryptRequest")]
public sealed record ReEncryptRequest(
    [property: Id(0)] byte[] CiphertextBlob,
    [property: Id(1)] string DestinationKeyId,
    [property: Id(2)] EncryptionContext? SourceEncryptionContext = null,
    [property: Id(3)] string? SourceKeyId = null,
    [property: Id(4)] EncryptionContext? DestinationEncryptionContext = null,
    [property: Id(5)] IReadOnlyList<string>? GrantTokens = null,
    [property: Id(6)] string? SourceEncryptionAlgorithm = null,
    [property: Id(7)] string? DestinationEncryptionAlgorithm = null);

/// <summary>What the source key hands the destination: the plaintext (inside the simulated KMS only) and which key and material it came from.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ReEncryptSource")]
public sealed record ReEncryptSource(
    [property: Id(0)] string SourceKeyArn,
    [property: Id(1)] string SourceKeyMaterialId,
    [property: Id(2)] byte[] Plaintext);

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ReEncryptResponse")]
public sealed record ReEncryptResponse(
    [property: Id(0)] byte[] CiphertextBlob,
    [property: Id(1)] string SourceKeyId,
    [property: Id(2)] string KeyId,
    [property: Id(3)] string SourceKeyMaterialId,
    [property: Id(4)] string DestinationKeyMaterialId);
