namespace GrantSim.Iam;

public enum PolicyDecision
{
    /// <summary>No statement applies.</summary>
    NotAllowed,
    Allow,

    /// <summary>A Deny statement applies; nothing can override it.</summary>
    ExplicitDeny,
}
