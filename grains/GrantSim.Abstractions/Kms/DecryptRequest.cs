namespace GrantSim.Kms;

/// <summary>Decrypt: the ciphertext names its key; a KeyId, when given, must be that key.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.DecryptRequest")]
public sealed record DecryptRequest(
    [property: Id(0)] byte[] CiphertextBlob,
    [property: Id(1)] EncryptionContext? EncryptionContext = null,
    [property: Id(2)] string? KeyId = null,
    [property: Id(3)] IReadOnlyList<string>? GrantTokens = null);
