using GrantSim.Cluster.Tests.Support;
using GrantSim.Faults;
using GrantSim.Grains;
using GrantSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>Replication across crashes at its named points: nothing lost, nothing twice.</summary>
public sealed class ReplicationCrashTests : IAsyncLifetime
{
    private static readonly ArmedCrashPoints Points = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OwnCluster.StartAsync<WithCrashPoints>();

    public Task DisposeAsync() => OwnCluster.StopAsync(_cluster);

    [Fact]
    public async Task APushThatDiesAfterQueueingItsReplication_ReplicatesNothing_AndItsRetryReplicatesOnce()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        await _cluster.Client.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region))
            .PutReplicationConfiguration(tenant.Admin, ReplicationTests.Rule(ReplicationTestsWest, tenant.Account));
        await tenant.CreateRepositoryAsync("crash", GrantSim.Ecr.EncryptionType.Aes256);

        Points.Arm(CrashPoints.ReplicationQueued, 1, CrashAction.Crash);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => tenant.PushImageAsync("crash", "v1"));
        Assert.True(Points.FiredSinceArmed);
        Points.Disarm();

        // The image was never stored, so its queued replication has nothing to send and is dropped.
        await ReplicationTests.DrainAsync(_cluster.Client, tenant.Account, tenant.Region, "crash");
        Assert.Empty(await _cluster.Client.GetGrain<IEcrServiceGrain>(ReplicationTestsWest).DescribeRepositories(tenant.Ci));

        var image = await tenant.PushImageAsync("crash", "v1");
        await ReplicationTests.DrainAsync(_cluster.Client, tenant.Account, tenant.Region, "crash");
        var west = _cluster.Client.GetGrain<IEcrServiceGrain>(ReplicationTestsWest);
        Assert.Equal(image.ManifestDigest, Assert.Single(await west.DescribeImages(tenant.Ci, "crash")).ImageDigest);
        Assert.Equal("COMPLETE", Assert.Single((await ReplicationTests.StatusAsync(_cluster.Client, tenant.Ci, tenant.Account, tenant.Region, "crash", image.ManifestDigest)).Statuses).Status);
    }

    [Fact]
    public async Task ADestinationThatDiesMidDelivery_IsDeliveredAgain_WithEachObjectOnce()
    {
        var tenant = await TestTenant.CreateAsync(_cluster.Client);
        await _cluster.Client.GetGrain<IRegistryGrain>(GrainKeys.TenantRegion(tenant.Account, tenant.Region))
            .PutReplicationConfiguration(tenant.Admin, ReplicationTests.Rule(ReplicationTestsWest, tenant.Account));
        var key = await tenant.CreateKeyAsync();
        await tenant.CreateRepositoryAsync("midway", kmsKey: key.Arn);
        var worker = _cluster.Client.GetGrain<IReplicationWorkerGrain>(GrainKeys.Repository(tenant.Account, tenant.Region, "midway"));

        // The push stores its three blobs (passages 1-3), then the destination stores the replica's: crash at its second.
        // Whichever delivers first, the push's own kick or this Drain, meets the crash; the other delivers again.
        Points.Arm(CrashPoints.BlobObjectStored, 5, CrashAction.Crash);
        var image = await tenant.PushImageAsync("midway", "v1");
        await worker.Drain();

        Assert.True(Points.FiredSinceArmed);
        Points.Disarm();
        await ReplicationTests.DrainAsync(_cluster.Client, tenant.Account, tenant.Region, "midway");

        var west = _cluster.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(tenant.Account, ReplicationTestsWest, "midway"));
        var snapshot = await west.Inspect();
        Assert.Equal(image.ManifestDigest, Assert.Single(snapshot.Images).ImageDigest);
        Assert.Equal(image.Blobs.Select(b => b.Digest).Order(StringComparer.Ordinal), snapshot.BlobDigests);
        await ReplicationTests.PullAsync(_cluster.Client.GetGrain<IEcrServiceGrain>(ReplicationTestsWest), tenant.Ci, "midway", image);
    }

    private const string ReplicationTestsWest = GrantSim.Aws.Regions.UsWest2;

    private sealed class WithCrashPoints : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<ICrashPoints>(Points);
            siloBuilder.AddGrantSim(ClusterFixture.Time).AddGrantSimInMemoryStorage();
        }
    }
}
