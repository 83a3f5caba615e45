namespace GrantSim.Client.Hosting;

/// <summary>The simulated clock as the client drives it.</summary>
public interface ISimulationClock
{
    Task AdvanceAsync(TimeSpan by);
}
