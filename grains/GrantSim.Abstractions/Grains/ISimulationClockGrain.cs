namespace GrantSim.Grains;

/// <summary>
/// The cluster's simulated clock (one, keyed <see cref="Key"/>): how far it has been advanced.
/// Advancing moves the clock of every silo before returning, so the next call anywhere sees the
/// new time; a silo that starts later reads the offset when it starts.
/// </summary>
[Alias("GrantSim.ISimulationClockGrain")]
public interface ISimulationClockGrain : IGrainWithStringKey
{
    const string Key = "cluster";

    [Alias("GetOffset")] Task<TimeSpan> GetOffset();

    /// <summary>Advances the clock of every silo by <paramref name="by"/> and returns the new offset.</summary>
    [Alias("Advance")] Task<TimeSpan> Advance(TimeSpan by);
}
