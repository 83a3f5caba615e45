namespace GrantSim.Kms;

/// <summary>GenerateDataKey: KeySpec AES_256 or AES_128, or NumberOfBytes 1..1024 (one of them).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.GenerateDataKeyRequest")]
public sealed record GenerateDataKeyRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] EncryptionContext? EncryptionContext = null,
    [property: Id(2)] string? KeySpec = "AES_256",
    [property: Id(3)] int? NumberOfBytes = null,
    [property: Id(4)] IReadOnlyList<string>? GrantTokens = null);
