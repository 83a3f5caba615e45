namespace GrantSim.Kms;

/// <summary>CreateKey for a customer managed key (symmetric by default). A null policy means KMS's default key policy (the account root may do everything).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.CreateKeyRequest")]
public sealed record CreateKeyRequest(
    [property: Id(0)] string Description = "",
    [property: Id(1)] string? Policy = null,
    [property: Id(2)] IReadOnlyList<KeyTag>? Tags = null,
    [property: Id(3)] string? KeySpec = null,
    [property: Id(4)] string? KeyUsage = null,
    [property: Id(5)] string? Origin = null,
    [property: Id(6)] bool MultiRegion = false);
