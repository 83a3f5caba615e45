namespace GrantSim.Identity;

/// <summary>An IAM user or role of a tenant (<c>user/name</c> or <c>role/name</c>) and its identity policies (IAM JSON documents).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Identity.PrincipalDefinition")]
public sealed record PrincipalDefinition(
    [property: Id(0)] string Path,
    [property: Id(1)] IReadOnlyList<string> Policies);
