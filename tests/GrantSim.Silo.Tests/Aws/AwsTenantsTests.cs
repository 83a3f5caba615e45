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
              // comments are fine, and trailing commas
              "tenants": [
                { "account": "123456789012",
                  "principals": [ { "path": "role/ci", "policies": [ { "Version": "2012-10-17", "Statement": [] }, "{\"Version\":\"2012-10-17\",\"Statement\":[]}" ] } ],
                  "accessKeys": [ { "accessKeyId": "AKIDCI", "secretAccessKey": "s", "principal": "role/ci" }, ] },
              ],
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

    [Theory]
    [InlineData("""{"tenants": [{"account": "12345", "accessKeys": []}]}""", "Tenant '12345': an account id is 12 digits.")]
    [InlineData("""{"tenants": [{"account": "123456789012", "principals": [{"path": "group/x", "policies": []}], "accessKeys": []}]}""", "Tenant 123456789012: principal 'group/x' must be user/<name> or role/<name>.")]
    [InlineData("""{"tenants": [{"account": "123456789012", "principals": [{"path": "user/", "policies": []}], "accessKeys": []}]}""", "Tenant 123456789012: principal 'user/' must be user/<name> or role/<name>.")]
    [InlineData("""{"tenants": [{"account": "123456789012", "principals": [{"path": "role/ci/", "policies": []}], "accessKeys": []}]}""", "Tenant 123456789012: principal 'role/ci/' must be user/<name> or role/<name>.")]
    [InlineData("""{"tenants": [{"account": "123456789012", "accessKeys": [{"accessKeyId": "", "secretAccessKey": "s"}]}]}""", "Tenant 123456789012: an access key needs an id (without '/') and a secret.")]
    [InlineData("""{"tenants": [{"account": "123456789012", "accessKeys": [{"accessKeyId": "a/b", "secretAccessKey": "s"}]}]}""", "Tenant 123456789012: an access key needs an id (without '/') and a secret.")]
    [InlineData("""{"tenants": [{"account": "123456789012", "accessKeys": [{"accessKeyId": "k", "secretAccessKey": ""}]}]}""", "Tenant 123456789012: an access key needs an id (without '/') and a secret.")]
    [InlineData("""{"tenants": [{"account": "123456789012", "accessKeys": [{"accessKeyId": "k", "secretAccessKey": "s", "principal": "user/nobody"}]}]}""", "Tenant 123456789012: access key k signs as 'user/nobody', which is neither root nor one of the tenant's principals.")]
    [InlineData("""{"tenants": [{"account": "123456789012", "accessKeys": [{"accessKeyId": "k", "secretAccessKey": "s"}]}, {"account": "210987654321", "accessKeys": [{"accessKeyId": "k", "secretAccessKey": "t"}]}]}""", "Access key k is configured twice.")]
    [InlineData("""{"tenants": null}""", "The tenants file has no 'tenants' list.")]
    public void AMistake_IsNamed(string json, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidOperationException>(() => AwsTenants.From(AwsTenants.Parse(json, "test"))).Message);

    [Theory]
    [InlineData("not json", "tenants.json: not a tenants file: ")]
    [InlineData("null", "tenants.json: the tenants file is empty.")]
    public void AFileThatIsNoTenantsFile_IsNamedWithItsSource(string json, string message) =>
        Assert.StartsWith(message, Assert.Throws<InvalidOperationException>(() => AwsTenants.Parse(json, "tenants.json")).Message, StringComparison.Ordinal);

    [Fact]
    public void AFileOnDisk_IsLoaded_AndABlankPathMeansTheDefault()
    {
        var path = Path.Combine(Path.GetTempPath(), $"grantsim-tenants-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"tenants": [{"account": "123456789012", "principals": [{"path": "user/a", "policies": []}], "accessKeys": [{"accessKeyId": "AKIDA", "secretAccessKey": "s", "principal": "user/a"}]}]}""");
        try
        {
            var tenants = AwsTenants.Load(path);

            Assert.Equal(new AccessKeyOwner("123456789012", "user/a", "s"), tenants.Find("AKIDA"));
            Assert.Null(tenants.Find("test"));
            Assert.NotNull(AwsTenants.Load("  ").Find("test"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ATenantWithoutPrincipalsOrKeys_IsAccepted_AndHasNone()
    {
        var tenants = AwsTenants.From(AwsTenants.Parse("""{"tenants": [{"account": "123456789012", "principals": [{"path": "role/r", "policies": []}], "accessKeys": null}, {"account": "210987654321", "accessKeys": []}]}""", "test"));

        var (account, principal) = Assert.Single(tenants.PrincipalDefinitions());
        Assert.Equal(("123456789012", "role/r"), (account, principal.Path));
        Assert.Empty(principal.Policies);
        Assert.Equal(2, tenants.Tenants.Count);
    }

    [Theory]
    [InlineData("root", "us-gov-west-1", "arn:aws-us-gov:iam::123456789012:root")]
    [InlineData("user/dev", "us-gov-east-1", "arn:aws-us-gov:iam::123456789012:user/dev")]
    [InlineData("role/ci", "us-east-1", "arn:aws:iam::123456789012:role/ci")]
    public void AKeysPrincipal_IsNamedInThePartitionOfTheRegion(string path, string region, string arn)
    {
        Assert.Equal(arn, new AccessKeyOwner("123456789012", path, "s").CallerIn(region).Principal);
    }
}
