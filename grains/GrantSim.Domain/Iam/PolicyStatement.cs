namespace GrantSim.Iam;

/// <summary>
/// One statement. <see cref="Principals"/> is null in identity policies. <see cref="NotActions"/>
/// and <see cref="NotResources"/> invert their lists (the statement applies to everything but those).
/// </summary>
public sealed record PolicyStatement(
    string? Sid,
    PolicyEffect Effect,
    PolicyPrincipals? Principals,
    IReadOnlyList<string> Actions,
    bool NotActions,
    IReadOnlyList<string> Resources,
    bool NotResources,
    IReadOnlyList<PolicyCondition> Conditions);
