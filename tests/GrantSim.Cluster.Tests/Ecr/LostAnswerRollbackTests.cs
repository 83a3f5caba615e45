using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Ecr;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Kms;
using GrantSim.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>
/// A create whose first CreateGrant made its grant but never answered (the key's activation died right
/// after storing it), then rolled back when the resumed create failed: the rollback finds that grant
/// by the name ECR gave it and retires it. (Found by the crash-point property: it leaked.)
/// </summary>
public sealed class LostAnswerRollbackTests : IAsyncLifetime
{
    private static readonly ArmedCrashPoints Points = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.AddSiloBuilderConfigurator<WithCrashPoints>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task ARollback_RetiresTheGrantOfACreateGrantWhoseAnswerWasLost()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        var key = await tenant.CreateKeyAsync();
        Points.Arm(CrashPoints.GrantChangeStored, 1, CrashAction.Crash);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => tenant.CreateRepositoryAsync("lost", kmsKey: key.Arn));
        Assert.True(Points.FiredSinceArmed);
        Points.Disarm();
        var repository = _cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "lost"));
        Assert.Equal(RepositoryStatus.Creating, (await repository.Inspect()).Status);
        Assert.Single((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);

        // The resumed create fails at KMS, so it rolls back.
        await tenant.SetSimulationAsync(TimeSpan.Zero, new FaultRule(KmsOperations.CreateGrant, AwsErrorCodes.KmsInternal, 1.0));
        await repository.ResumePendingWork();
        await tenant.SetSimulationAsync(TimeSpan.Zero);

        Assert.Equal(RepositoryStatus.Absent, (await repository.Inspect()).Status);
        Assert.Empty((await tenant.Kms.ListGrants(tenant.Admin, new ListGrantsRequest(key.Arn))).Grants);
    }

    private sealed class WithCrashPoints : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<ICrashPoints>(Points);
            siloBuilder.AddGrantSim(ClusterFixture.Time).AddGrantSimInMemoryStorage();
        }
    }
}
