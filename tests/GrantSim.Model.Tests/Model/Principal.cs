namespace GrantSim.Model.Tests.Model;

/// <summary>Who acts in the model: a role of a tenant (or its root), or ECR itself.</summary>
public enum Principal
{
    Root,
    Admin,
    Ci,
    Deployer,
    Reader,
    Ecr,
}
