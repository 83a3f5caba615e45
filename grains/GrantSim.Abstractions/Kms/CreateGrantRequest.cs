namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.CreateGrantRequest")]
public sealed record CreateGrantRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string GranteePrincipal,
    [property: Id(2)] IReadOnlyList<string> Operations,
    [property: Id(3)] string? RetiringPrincipal = null,
    [property: Id(4)] GrantConstraints? Constraints = null,
    [property: Id(5)] string? Name = null,
    [property: Id(6)] IReadOnlyList<string>? GrantTokens = null);
