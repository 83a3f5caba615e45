using GrantSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace GrantSim.Model.Tests.Support;

/// <summary>
/// In-process silos (three; <c>GRANTSIM_MODEL_SILOS</c> sets another number) whose storage survives any of them (<see cref="SharedMemoryGrainStorage"/>),
/// random placement so grains spread over the silos, and one fake simulation clock. Secondary
/// silos may be killed and new ones started; the primary holds the test cluster's membership.
/// </summary>
public sealed class ModelClusterFixture : IAsyncLifetime
{
    /// <summary>The silos are built by TestCluster from configurator types, so what they share is static.</summary>
    internal static readonly SharedMemoryGrainStore Store = new();

    /// <summary>How many silos the suite runs on: 3 by default, so that grains spread and a silo can die while two remain.</summary>
    internal static readonly int Silos = int.TryParse(Environment.GetEnvironmentVariable("GRANTSIM_MODEL_SILOS"), out var silos) && silos is >= 2 and <= 8 ? silos : 3;

    internal static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public FakeTimeProvider Clock => Time;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: (short)Silos);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Kills a secondary silo (as a crash would), waits for the cluster to notice, and starts a new one.</summary>
    public async Task KillAndReplaceASiloAsync(int which)
    {
        var secondaries = Cluster.SecondarySilos;
        if (secondaries.Count > 0)
        {
            await Cluster.KillSiloAsync(secondaries[which % secondaries.Count]);
            await Cluster.WaitForLivenessToStabilizeAsync();
        }

        await Cluster.StartAdditionalSiloAsync();
        await Cluster.WaitForLivenessToStabilizeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddGrantSim(Time).AddGrantSimSharedMemoryStorage(Store);
            siloBuilder.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ModelClusterCollection : ICollectionFixture<ModelClusterFixture>
{
    public const string Name = "model cluster";
}
