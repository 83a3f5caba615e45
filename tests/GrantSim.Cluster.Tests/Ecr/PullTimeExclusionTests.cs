using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Grains;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>Pull-time update exclusions: an excluded role's pulls leave lastRecordedPullTime alone; anyone else's record it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PullTimeExclusionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AnExcludedRolesPull_LeavesThePullTime_AndAnotherPrincipalsPullRecordsIt()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var registry = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region));
        var readerRole = $"arn:{tenant.Partition}:iam::{tenant.Account}:role/reader";
        await tenant.CreateRepositoryAsync("excluded-pulls");
        await tenant.PushImageAsync("excluded-pulls", "v1");

        var registeredAt = await registry.RegisterPullTimeUpdateExclusion(tenant.Admin, readerRole);
        Assert.Equal(fixture.Clock.GetUtcNow(), registeredAt);
        Assert.Equal([readerRole], await registry.ListPullTimeUpdateExclusions(tenant.Admin));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ExclusionAlreadyExists, () => registry.RegisterPullTimeUpdateExclusion(tenant.Admin, readerRole));

        // The scanner-like role pulls: the image still looks never pulled (a lifecycle policy would see it so).
        await tenant.EcrApi.GetImage(tenant.Reader, "excluded-pulls", new ImageIdentifier(ImageTag: "v1"));
        Assert.Null(Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "excluded-pulls")).LastRecordedPullTime);

        // Another principal's pull is recorded.
        await tenant.EcrApi.GetImage(tenant.Ci, "excluded-pulls", new ImageIdentifier(ImageTag: "v1"));
        Assert.Equal(fixture.Clock.GetUtcNow(), Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "excluded-pulls")).LastRecordedPullTime);

        // Deregistered: the role's pulls count again (once the daily interval has passed).
        await registry.DeregisterPullTimeUpdateExclusion(tenant.Admin, readerRole);
        Assert.Empty(await registry.ListPullTimeUpdateExclusions(tenant.Admin));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.ExclusionNotFound, () => registry.DeregisterPullTimeUpdateExclusion(tenant.Admin, readerRole));
        fixture.Clock.Advance(ImageRules.PullRecordInterval);
        await tenant.EcrApi.GetImage(tenant.Reader, "excluded-pulls", new ImageIdentifier(ImageTag: "v1"));
        Assert.Equal(fixture.Clock.GetUtcNow(), Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "excluded-pulls")).LastRecordedPullTime);
    }

    [Fact]
    public async Task OnlyTheRegistrysOwner_ManagesItsExclusions()
    {
        var owner = await TestTenant.CreateAsync(fixture.Grains);
        var other = await TestTenant.CreateAsync(fixture.Grains);
        var registry = fixture.Grains.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(owner.Account, owner.Region));

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied,
            () => registry.RegisterPullTimeUpdateExclusion(other.Admin, $"arn:{owner.Partition}:iam::{owner.Account}:role/reader"));
        Assert.Empty(await registry.ListPullTimeUpdateExclusions(owner.Admin));
    }
}
