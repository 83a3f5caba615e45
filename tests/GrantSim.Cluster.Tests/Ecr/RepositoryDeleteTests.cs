using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Ecr;

[Collection(ClusterCollection.Name)]
public sealed class RepositoryDeleteTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Delete_RetiresBothGrants_AsTheDeleter()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var repository = await tenant.CreateRepositoryAsync("gone", kmsKey: key.Arn);
        var grants = await tenant.GrantsForRepositoryAsync(key.Arn, repository.RepositoryArn);

        await tenant.EcrApi.DeleteRepository(tenant.Ci, "gone");

        Assert.Empty(await tenant.GrantsForRepositoryAsync(key.Arn, repository.RepositoryArn));
        var retires = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.RetireGrant));
        Assert.Equal(grants.Select(g => g.GrantId).Order(), retires.Select(e => e.GrantId!).Order());
        Assert.All(retires, e => Assert.Equal(tenant.Ci.Principal, e.UserIdentity.Principal));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => tenant.EcrApi.DescribeRepositories(tenant.Ci, ["gone"]));
        Assert.Empty(await tenant.Repositories.GetLeftoverReports());
    }

    [Fact]
    public async Task Delete_WithImages_NeedsForce()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("full");
        var image = await tenant.PushImageAsync("full", "v1");

        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotEmpty, () => tenant.EcrApi.DeleteRepository(tenant.Ci, "full"));
        await tenant.PullAndVerifyAsync("full", image);

        await tenant.EcrApi.DeleteRepository(tenant.Ci, "full", force: true);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => tenant.PullAndVerifyAsync("full", image));
    }

    [Fact]
    public async Task Delete_ByAPrincipalWithoutRetireGrant_DeletesAndReportsTheGrants_WhichCanBeRetiredByHand()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var repository = await tenant.CreateRepositoryAsync("leaky");
        var keyArn = repository.EncryptionConfiguration.KmsKey!;

        var error = await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.EcrApi.DeleteRepository(tenant.Deployer, "leaky"), AwsErrorCodes.AccessDenied);

        Assert.Equal($"The repository [leaky] has been deleted successfully but the grants created by the kmsKey [{keyArn}] failed to be retired", error.Message);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => tenant.EcrApi.DescribeRepositories(tenant.Ci, ["leaky"]));
        var leftover = await tenant.GrantsForRepositoryAsync(keyArn, repository.RepositoryArn);
        Assert.Equal(2, leftover.Count);
        var report = Assert.Single(await tenant.Repositories.GetLeftoverReports());
        Assert.Equal(leftover.Select(g => g.GrantId).Order(), report.GrantIds.Order());

        // The documented fix: list the key's grants, find the repository ARN in the constraint, retire each.
        foreach (var grant in leftover)
        {
            await tenant.Kms.RetireGrant(tenant.Admin, new RetireGrantRequest(KeyId: keyArn, GrantId: grant.GrantId));
        }

        Assert.Empty(await tenant.GrantsForRepositoryAsync(keyArn, repository.RepositoryArn));
    }

    [Fact]
    public async Task Delete_ThenCreateAgain_IsANewRepositoryWithNewGrantsAndNoOldImages()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var first = await tenant.CreateRepositoryAsync("again");
        var image = await tenant.PushImageAsync("again", "v1");
        await tenant.EcrApi.DeleteRepository(tenant.Ci, "again", force: true);

        var second = await tenant.CreateRepositoryAsync("again");

        Assert.Equal(first.RepositoryArn, second.RepositoryArn);
        Assert.Empty(await tenant.EcrApi.DescribeImages(tenant.Ci, "again"));
        await AwsAssert.ThrowsAsync(AwsErrorCodes.LayersNotFound, () => tenant.EcrApi.GetBlob(tenant.Ci, "again", image.Blobs[0].Digest));
        Assert.Equal(2, (await tenant.GrantsForRepositoryAsync(second.EncryptionConfiguration.KmsKey!, second.RepositoryArn)).Count);
    }

    [Fact]
    public async Task Delete_OfAnAbsentRepository_IsRepositoryNotFound()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.RepositoryNotFound, () => tenant.EcrApi.DeleteRepository(tenant.Ci, "never"));
    }
}
