using GrantSim.Client.Simulation;

namespace GrantSim.Client.Hosting;

/// <summary>
/// Retries a call that the cluster itself failed (a silo just killed, a gateway gone, a timeout)
/// until the cluster has healed or the patience runs out. For the bookkeeping around a chaos
/// scenario (settings, settling, reading the final state), whose answer matters more than its speed;
/// AWS errors are answers and pass through at once.
/// </summary>
public static class ClusterRetry
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    public static async Task<T> RunAsync<T>(Func<Task<T>> call, TimeSpan? patience = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + (patience ?? DefaultPatience);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (OperationLog.IsClusterFailure(error) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(Pause, cancellationToken);
            }
        }
    }

    public static Task RunAsync(Func<Task> call, TimeSpan? patience = null, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await call();
            return true;
        }, patience, cancellationToken);
}
