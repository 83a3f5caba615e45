using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Kms;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>
/// A silo whose reminder service is not there (as when its silo is stopping: the chaos sweep's
/// silo-crash seed 336 met "The reminder service is not currently available" mid-create): a change that
/// needs a reminder is refused as ECR's ServerException and changes nothing; one that needs none works.
/// </summary>
public sealed class ReminderUnavailableTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OwnCluster.StartAsync<WithoutReminders>();

    public Task DisposeAsync() => OwnCluster.StopAsync(_cluster);

    [Fact]
    public async Task AKmsCreate_IsAServerException_AndLeavesNoRepositoryAndNoGrant()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => tenant.CreateRepositoryAsync("needs-a-reminder", kmsKey: key.Arn));

        Assert.Equal(AwsErrorCodes.Server, error.ErrorCode);
        Assert.True(AwsErrorCodes.IsTransient(error.ErrorCode), "an SDK retries ServerException");
        Assert.Equal(RepositoryStatus.Absent, (await _cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "needs-a-reminder")).Inspect()).Status);
        Assert.Empty((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);
        Assert.Empty(await tenant.Repositories.List());
    }

    [Fact]
    public async Task AnAes256Create_NeedsNoReminder_AndWorks()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);

        var repository = await tenant.CreateRepositoryAsync("plain", EncryptionType.Aes256);

        Assert.Equal(EncryptionType.Aes256, repository.EncryptionConfiguration.EncryptionType);
    }

    private sealed class WithoutReminders : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddGrantSim(ClusterFixture.Time).AddMemoryGrainStorage(StorageNames.Default);
    }
}
