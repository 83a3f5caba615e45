namespace GrantSim.Iam;

/// <summary>
/// The Principal element of a resource policy. <see cref="Everyone"/> is <c>"*"</c>;
/// <see cref="Aws"/> holds ARNs and account ids; <see cref="Services"/> service principals.
/// </summary>
public sealed record PolicyPrincipals(bool Everyone, IReadOnlyList<string> Aws, IReadOnlyList<string> Services)
{
    public static PolicyPrincipals Any { get; } = new(true, [], []);
}
