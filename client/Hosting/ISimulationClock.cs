namespace GrantSim.Client.Hosting;

/// <summary>The simulated clock as the client drives it: read it, move it forward.</summary>
public interface ISimulationClock
{
    DateTimeOffset UtcNow { get; }

    Task AdvanceAsync(TimeSpan by);
}
