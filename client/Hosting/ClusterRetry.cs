namespace GrantSim.Client.Hosting;

/// <summary>
/// Retries a call that the cluster itself failed (a silo just killed, a gateway gone, a timeout)
/// until the cluster has healed or the patience runs out. Only for calls that are safe to repeat —
/// reads, puts, and creates that first look for what they would create — whose answer matters more
/// than its speed: the world's set-up, settling, reading the final state, the invariant checks, the
/// simulation's reads. AWS errors are answers and pass through at once.
/// </summary>
public static class ClusterRetry
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(500);

    public static Task<T> RunAsync<T>(Func<Task<T>> call, TimeSpan? patience = null, CancellationToken cancellationToken = default) =>
        RunAsync(call, patience ?? DefaultPatience, DefaultPause, TimeProvider.System, cancellationToken);

    public static Task RunAsync(Func<Task> call, TimeSpan? patience = null, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await call();
            return true;
        }, patience, cancellationToken);

    /// <summary>The same, on a given clock and with a given pause between attempts (tests use a fake clock).</summary>
    internal static async Task<T> RunAsync<T>(Func<Task<T>> call, TimeSpan patience, TimeSpan pause, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + patience;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (ClusterFailures.IsClusterFailure(error) && time.GetUtcNow() < deadline)
            {
                await Task.Delay(pause, time, cancellationToken);
            }
        }
    }
}
