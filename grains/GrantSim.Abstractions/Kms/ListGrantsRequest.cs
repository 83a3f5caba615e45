namespace GrantSim.Kms;

/// <summary>ListGrants: Limit 1..100 (default 50); Marker is the NextMarker of the page before.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ListGrantsRequest")]
public sealed record ListGrantsRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string? GrantId = null,
    [property: Id(2)] string? GranteePrincipal = null,
    [property: Id(3)] int? Limit = null,
    [property: Id(4)] string? Marker = null);
