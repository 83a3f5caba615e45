namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ListGrantsResponse")]
public sealed record ListGrantsResponse(
    [property: Id(0)] IReadOnlyList<GrantListEntry> Grants,
    [property: Id(1)] string? NextMarker)
{
    public bool Truncated => NextMarker is not null;
}
