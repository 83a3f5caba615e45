using GrantSim.Hosting;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Support;

/// <summary>
/// A two-silo test cluster with in-memory storage and a fake simulation clock shared by both
/// silos. One cluster serves every test of the collection; each test uses its own tenant.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // The silo configurator is created by the test host, so the clock it hands out is static.
    internal static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public FakeTimeProvider Clock => Time;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddGrantSim(Time).AddGrantSimInMemoryStorage();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
