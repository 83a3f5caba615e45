using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Kms;

namespace GrantSim.Cluster.Tests.Ecr;

[Collection(ClusterCollection.Name)]
public sealed class RevokeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task RevokingEcrsGrants_BlocksPushAndPull_UntilTheRepositoryIsCreatedAnew()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var repository = await tenant.CreateRepositoryAsync("revoked", kmsKey: key.Arn);
        var image = await tenant.PushImageAsync("revoked", "v1");

        foreach (var grant in await tenant.GrantsForRepositoryAsync(key.Arn, repository.RepositoryArn))
        {
            await tenant.Kms.RevokeGrant(tenant.Admin, key.KeyId, grant.GrantId);
        }

        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.PullAndVerifyAsync("revoked", image), AwsErrorCodes.AccessDenied);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.Kms, () => tenant.PushImageAsync("revoked", "v2"), AwsErrorCodes.AccessDenied);

        await tenant.EcrApi.DeleteRepository(tenant.Ci, "revoked", force: true);
        await tenant.CreateRepositoryAsync("revoked", kmsKey: key.Arn);
        var fresh = await tenant.PushImageAsync("revoked", "v3");
        await tenant.PullAndVerifyAsync("revoked", fresh);
    }

    [Fact]
    public async Task RevokingOneOfTheTwoGrants_LeavesTheOtherAuthorizing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var repository = await tenant.CreateRepositoryAsync("half", kmsKey: key.Arn);
        var image = await tenant.PushImageAsync("half", "v1");
        var grants = await tenant.GrantsForRepositoryAsync(key.Arn, repository.RepositoryArn);

        await tenant.Kms.RevokeGrant(tenant.Admin, key.KeyId, grants[0].GrantId);

        await tenant.PullAndVerifyAsync("half", image);
        var decrypts = await tenant.Trail.Query(new AuditQuery(EventName: KmsOperations.Decrypt));
        Assert.Equal(4, decrypts.Count); // the manifest, two layers and the config
        Assert.All(decrypts, e => Assert.Equal(grants[1].GrantId, e.GrantId));
    }

    [Fact]
    public async Task RevokeGrant_NeedsKmsRevokeGrant()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var key = await tenant.CreateKeyAsync();
        var repository = await tenant.CreateRepositoryAsync("guarded", kmsKey: key.Arn);
        var grant = (await tenant.GrantsForRepositoryAsync(key.Arn, repository.RepositoryArn))[0];

        await AwsAssert.ThrowsAsync(AwsErrorCodes.AccessDenied, () => tenant.Kms.RevokeGrant(tenant.Ci, key.KeyId, grant.GrantId));
        await tenant.Kms.RevokeGrant(tenant.Admin, key.KeyId, grant.GrantId);
        await AwsAssert.ThrowsAsync(AwsErrorCodes.NotFound, () => tenant.Kms.RevokeGrant(tenant.Admin, key.KeyId, grant.GrantId));
    }
}
