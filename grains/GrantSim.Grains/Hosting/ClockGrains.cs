using GrantSim.Grains;
using Orleans.Storage;

namespace GrantSim.Hosting;

[GenerateSerializer, Alias("GrantSim.Hosting.ClockState")]
public sealed class ClockState
{
    [Id(0)] public TimeSpan Offset { get; set; }
}

public sealed class SimulationClockGrain(
    [PersistentState("clock", StorageNames.Default)] IPersistentState<ClockState> state) : Grain, ISimulationClockGrain
{
    public Task<TimeSpan> GetOffset() => Task.FromResult(state.State.Offset);

    public async Task<TimeSpan> Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "The simulated clock only moves forward.");
        }

        var offset = state.State.Offset + by;
        for (var attempt = 1; ; attempt++)
        {
            state.State.Offset = offset;
            try
            {
                await state.WriteStateAsync();
                break;
            }
            catch (InconsistentStateException) when (attempt < 3)
            {
                // Another activation of this grain wrote the clock first (Orleans may briefly run two while silos
                // join; a chaos sweep on a busy machine met it): advance from what it stored, not from our copy.
                await state.ReadStateAsync();
                offset = state.State.Offset + by;
            }
        }

        // Persisted first: a silo starting now either reads the new offset, or was already active and is told here.
        var silos = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        await Task.WhenAll(silos.Keys.Select(silo => GrainFactory.GetGrain<IClockAgentGrain>(silo.ToParsableString()).SetOffset(state.State.Offset)));
        return state.State.Offset;
    }
}

[SiloBoundPlacement]
public sealed class ClockAgentGrain(SimulationClock clock) : Grain, IClockAgentGrain
{
    public Task SetOffset(TimeSpan offset)
    {
        clock.MoveTo(offset);
        return Task.CompletedTask;
    }
}
