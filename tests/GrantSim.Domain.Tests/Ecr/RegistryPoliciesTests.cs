using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Identity;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class RegistryPoliciesTests
{
    private const string Source = "111122223333";
    private const string Destination = "444455556666";
    private const string RepositoryArn = "arn:aws:ecr:us-west-2:444455556666:repository/app";

    private static string Policy(string principal, string actions = """["ecr:CreateRepository","ecr:ReplicateImage"]""", string effect = "Allow") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"ReplicationAccessCrossAccount","Effect":"{{effect}}","Principal":{"AWS":"{{principal}}"},"Action":{{actions}},"Resource":["arn:aws:ecr:us-west-2:{{Destination}}:repository/*"]}]}""";

    private static CallerIdentity Replicator(string account = Source) => RegistryPolicies.ReplicationRole(Partition.Aws, account);

    [Theory]
    [InlineData("arn:aws:iam::" + Source + ":root")]
    [InlineData(Source)]
    [InlineData("*")]
    public void APolicyNamingTheSourceAccount_LetsItsReplicationIn(string principal)
    {
        var policy = RegistryPolicies.Validate(Policy(principal));
        Assert.True(RegistryPolicies.AllowsReplication(policy, Replicator(), "ecr:ReplicateImage", RepositoryArn));
        Assert.True(RegistryPolicies.AllowsReplication(policy, Replicator(), "ecr:CreateRepository", RepositoryArn));
    }

    [Fact]
    public void AnotherAccount_NoPolicy_AnotherRegionsRepository_OrAnActionNotGranted_AreRefused()
    {
        var policy = RegistryPolicies.Validate(Policy($"arn:aws:iam::{Source}:root", """["ecr:ReplicateImage"]"""));
        Assert.False(RegistryPolicies.AllowsReplication(policy, Replicator("999988887777"), "ecr:ReplicateImage", RepositoryArn));
        Assert.False(RegistryPolicies.AllowsReplication(null, Replicator(), "ecr:ReplicateImage", RepositoryArn));
        Assert.False(RegistryPolicies.AllowsReplication(policy, Replicator(), "ecr:ReplicateImage", "arn:aws:ecr:eu-west-1:444455556666:repository/app"));
        Assert.False(RegistryPolicies.AllowsReplication(policy, Replicator(), "ecr:CreateRepository", RepositoryArn));
    }

    [Fact]
    public void AnExplicitDeny_Wins()
    {
        var text = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"},
              {"Effect":"Deny","Principal":{"AWS":"{{Source}}"},"Action":"ecr:ReplicateImage","Resource":"*"}]}
            """;
        var policy = RegistryPolicies.Validate(text);
        Assert.False(RegistryPolicies.AllowsReplication(policy, Replicator(), "ecr:ReplicateImage", RepositoryArn));
        Assert.True(RegistryPolicies.AllowsReplication(policy, Replicator("999988887777"), "ecr:ReplicateImage", RepositoryArn));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Action":"ecr:ReplicateImage","Resource":"*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:PutImage","Resource":"*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"ecr:PutImage","Resource":"*"}]}""")]
    public void APolicyThatIsNotARegistryPolicy_IsInvalidParameter(string text)
    {
        var error = Assert.Throws<AwsServiceException>(() => RegistryPolicies.Validate(text));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.StartsWith("Invalid parameter at 'policyText' failed to satisfy constraint: 'Invalid registry policy provided", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReplicationRole_IsAValidRoleOfItsAccount()
    {
        var role = Replicator();
        role.Validate();
        Assert.Equal(PrincipalKind.IamRole, role.Kind);
        Assert.Equal(Source, role.Account);
    }
}
