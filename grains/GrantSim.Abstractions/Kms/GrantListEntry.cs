namespace GrantSim.Kms;

/// <summary>One grant as ListGrants and ListRetirableGrants show it: never its tokens.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.GrantListEntry")]
public sealed record GrantListEntry(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string GrantId,
    [property: Id(2)] string? Name,
    [property: Id(3)] DateTimeOffset CreationDate,
    [property: Id(4)] string GranteePrincipal,
    [property: Id(5)] string? RetiringPrincipal,
    [property: Id(6)] string IssuingAccount,
    [property: Id(7)] IReadOnlyList<string> Operations,
    [property: Id(8)] GrantConstraints? Constraints);
