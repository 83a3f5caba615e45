namespace GrantSim.Kms;

/// <summary>RetireGrant by <see cref="GrantToken"/>, or by <see cref="KeyId"/> and <see cref="GrantId"/>.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.RetireGrantRequest")]
public sealed record RetireGrantRequest(
    [property: Id(0)] string? GrantToken = null,
    [property: Id(1)] string? KeyId = null,
    [property: Id(2)] string? GrantId = null);
