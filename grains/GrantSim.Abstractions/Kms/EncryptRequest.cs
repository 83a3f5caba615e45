namespace GrantSim.Kms;

/// <summary>Encrypt: up to 4096 bytes of plaintext.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.EncryptRequest")]
public sealed record EncryptRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] Plaintext,
    [property: Id(2)] EncryptionContext? EncryptionContext = null,
    [property: Id(3)] IReadOnlyList<string>? GrantTokens = null,
    [property: Id(4)] string? EncryptionAlgorithm = null);
