namespace GrantSim.Iam;

/// <summary>
/// One statement. <see cref="Principals"/> is null in identity policies. <see cref="NotActions"/>
/// inverts the action list (the statement applies to every action but those).
/// </summary>
public sealed record PolicyStatement(
    string? Sid,
    PolicyEffect Effect,
    PolicyPrincipals? Principals,
    IReadOnlyList<string> Actions,
    bool NotActions,
    IReadOnlyList<string> Resources,
    IReadOnlyList<PolicyCondition> Conditions);
