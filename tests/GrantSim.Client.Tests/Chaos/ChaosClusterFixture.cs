using GrantSim.Client.Commands;
using GrantSim.Client.Hosting;

namespace GrantSim.Client.Tests.Chaos;

/// <summary>The chaos command's embedded cluster (three silos, storage that outlives them), shared by the scenario tests; each test has its own accounts.</summary>
public sealed class ChaosClusterFixture : IAsyncLifetime
{
    public EmbeddedCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await EmbeddedCluster.StartAsync(ChaosCommand.EmbeddedSilos);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ChaosClusterCollection : ICollectionFixture<ChaosClusterFixture>
{
    public const string Name = "chaos cluster";
}
