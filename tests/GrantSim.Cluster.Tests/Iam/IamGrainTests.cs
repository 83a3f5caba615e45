using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Cluster.Tests.Iam;

/// <summary>An account's IAM principals: what is stored is checked first, and a refusal stores nothing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IamGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task APrincipalWithAMalformedPolicy_IsRefused_AndNothingIsStored()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var iam = fixture.Grains.GetGrain<IIamGrain>(tenant.Account);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.MalformedPolicyDocument,
            () => iam.PutPrincipal(new PrincipalDefinition("role/broken", [TestTenant.Allow("kms:Decrypt"), """{"Version":"2012-10-17","Statement":"everything"}"""])));

        Assert.Null(await iam.GetPolicies("role/broken"));
        Assert.DoesNotContain(await iam.ListPrincipals(), p => p.Path == "role/broken");
    }

    [Theory]
    [InlineData("group/x")]
    [InlineData("user/")]
    [InlineData("role/a/")]
    public async Task APathThatIsNoUserOrRole_IsRefused(string path)
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var iam = fixture.Grains.GetGrain<IIamGrain>(tenant.Account);

        await AwsAssert.ThrowsAsync(AwsErrorCodes.Validation, () => iam.PutPrincipal(new PrincipalDefinition(path, [])));

        Assert.Null(await iam.GetPolicies(path));
    }

    [Fact]
    public async Task Principals_AreListedByPath_AndReplacedWhole()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var iam = fixture.Grains.GetGrain<IIamGrain>(tenant.Account);

        await iam.PutPrincipal(new PrincipalDefinition("role/ci", [TestTenant.Allow("kms:Decrypt")]));

        Assert.Equal(["role/admin", "role/ci", "role/deployer", "role/reader"], (await iam.ListPrincipals()).Select(p => p.Path));
        Assert.Equal([TestTenant.Allow("kms:Decrypt")], await iam.GetPolicies("role/ci"));
    }
}
