using GrantSim.Grains;

namespace GrantSim.Client.Hosting;

/// <summary>Advances the cluster's one simulated clock: every silo's clock has moved when this returns.</summary>
public sealed class ClusterClock(IGrainFactory grains) : ISimulationClock
{
    public Task AdvanceAsync(TimeSpan by) => grains.GetGrain<ISimulationClockGrain>(ISimulationClockGrain.Key).Advance(by);
}
