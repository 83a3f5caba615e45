namespace GrantSim.Identity;

public enum PrincipalKind
{
    AccountRoot,
    IamUser,
    IamRole,
    AwsService,
}
