namespace GrantSim.Hosting;

/// <summary>
/// The simulation's clock, for key deletion windows and grant propagation. A service of its own
/// (rather than replacing <see cref="TimeProvider"/> in the container) so that a fake or frozen
/// simulation clock never slows or stops Orleans' own timers.
/// </summary>
public sealed class SimulationClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset UtcNow => Time.GetUtcNow();

    /// <summary>Moves an adjustable clock to the cluster's offset; a test's fake clock is moved by the test.</summary>
    public void MoveTo(TimeSpan offset)
    {
        if (Time is AdjustableTimeProvider adjustable)
        {
            adjustable.MoveTo(offset);
        }
    }
}
