using GrantSim.Silo.Aws;

namespace GrantSim.Silo.Tests.Aws;

public sealed class AwsTenantsTests
{
    [Fact]
    public void TheDefault_HasTheTestKeyAsRootOfAccountZero()
    {
        var tenants = AwsTenants.Load(null);

        Assert.Equal(new AccessKeyOwner(AwsTenants.DefaultAccount, "root", "test"), tenants.Find("test"));
        Assert.Equal("arn:aws:iam::000000000000:root", tenants.Find("test")!.CallerIn("us-east-1").Principal);
    }

    [Fact]
    public void AFile_GivesPrincipalsWithTheirPoliciesAsJsonText()
    {
        var file = AwsTenants.Parse("""
            {
              // comments are fine
              "tenants": [
                { "account": "123456789012",
                  "principals": [ { "path": "role/ci", "policies": [ { "Version": "2012-10-17", "Statement": [] }, "{\"Version\":\"2012-10-17\",\"Statement\":[]}" ] } ],
                  "accessKeys": [ { "accessKeyId": "AKIDCI", "secretAccessKey": "s", "principal": "role/ci" } ] }
              ]
            }
            """, "test");

        var tenants = AwsTenants.From(file);

        var (account, principal) = Assert.Single(tenants.PrincipalDefinitions());
        Assert.Equal(("123456789012", "role/ci"), (account, principal.Path));
        Assert.All(principal.Policies, policy => Assert.StartsWith("{", policy, StringComparison.Ordinal));
        Assert.Equal("arn:aws:iam::123456789012:role/ci", tenants.Find("AKIDCI")!.CallerIn("eu-west-1").Principal);
    }

    [Theory]
    [InlineData("""{"tenants": [{"account": "12345", "accessKeys": []}]}""")]
    [InlineData("""{"tenants": [{"account": "123456789012", "accessKeys": [{"accessKeyId": "k", "secretAccessKey": "s", "principal": "user/nobody"}]}]}""")]
    [InlineData("""{"tenants": [{"account": "123456789012", "accessKeys": [{"accessKeyId": "k", "secretAccessKey": "s"}, {"accessKeyId": "k", "secretAccessKey": "t"}]}]}""")]
    [InlineData("""{"tenants": [{"account": "123456789012", "principals": [{"path": "group/x", "policies": []}], "accessKeys": []}]}""")]
    [InlineData("""{"tenants": [{"account": "123456789012", "accessKeys": [{"accessKeyId": "", "secretAccessKey": "s"}]}]}""")]
    [InlineData("""{"tenant": []}""")]
    [InlineData("""not json""")]
    public void AMistake_StopsTheSiloWithAMessage(string json) =>
        Assert.Throws<InvalidOperationException>(() => AwsTenants.From(AwsTenants.Parse(json, "test")));
}
