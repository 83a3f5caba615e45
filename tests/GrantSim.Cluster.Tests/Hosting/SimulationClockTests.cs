using GrantSim.Cluster.Tests.Support;
using GrantSim.Grains;
using GrantSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;

namespace GrantSim.Cluster.Tests.Hosting;

/// <summary>The cluster's one simulated clock, on a cluster of its own (advancing it moves every silo's time).</summary>
public sealed class SimulationClockTests : IAsyncLifetime
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await OwnCluster.StartAsync<OwnClock>();

    public Task DisposeAsync() => OwnCluster.StopAsync(_cluster);

    /// <summary>
    /// What a second activation of the clock leaves behind (Orleans may briefly run two while silos join; a
    /// sweep on a busy machine ended with "The stored ETag of clock/simulationclock/cluster is not …"): the
    /// stored clock moved on under this activation. The next advance starts from what was stored.
    /// </summary>
    [Fact]
    public async Task AnAdvance_AfterAnotherActivationWroteTheClock_AdvancesFromWhatWasStored()
    {
        var clock = _cluster.Client.GetGrain<ISimulationClockGrain>(ISimulationClockGrain.Key);
        Assert.Equal(TimeSpan.FromHours(1), await clock.Advance(TimeSpan.FromHours(1)));
        var silo = (_cluster.Primary as InProcessSiloHandle)?.SiloHost ?? throw new InvalidOperationException("the primary silo is not running in this process");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var stored = new GrainState<ClockState>(new ClockState());
        await storage.ReadStateAsync("clock", clock.GetGrainId(), stored);
        stored.State!.Offset = TimeSpan.FromHours(5);
        await storage.WriteStateAsync("clock", clock.GetGrainId(), stored);

        Assert.Equal(TimeSpan.FromHours(6), await clock.Advance(TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromHours(6), await clock.GetOffset());
    }

    private sealed class OwnClock : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddGrantSim(Time).AddGrantSimInMemoryStorage();
    }
}
