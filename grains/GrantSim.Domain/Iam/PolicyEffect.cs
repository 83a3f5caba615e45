namespace GrantSim.Iam;

public enum PolicyEffect
{
    Allow,
    Deny,
}
