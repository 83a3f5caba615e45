namespace GrantSim.Kms;

/// <summary>Decrypt: a symmetric ciphertext names its key, and a KeyId, when given, must be that key; an RSA ciphertext names none, so KeyId is required.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.DecryptRequest")]
public sealed record DecryptRequest(
    [property: Id(0)] byte[] CiphertextBlob,
    [property: Id(1)] EncryptionContext? EncryptionContext = null,
    [property: Id(2)] string? KeyId = null,
    [property: Id(3)] IReadOnlyList<string>? GrantTokens = null,
    [property: Id(4)] string? EncryptionAlgorithm = null);
