namespace GrantSim.Kms;

public enum GrantStatus
{
    Active,
    Retired,
    Revoked,
}
