using System.Diagnostics;

namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>
/// Waits for a condition of another process to become true, checking it every 100 ms: a barrier on
/// something observable, never a fixed sleep. Returns how long it took.
/// </summary>
public static class Eventually
{
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        Exception? last = null;
        while (stopwatch.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                {
                    return stopwatch.Elapsed;
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                last = error;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}." + (last is null ? "" : $" Last error: {last.Message}"));
    }
}
