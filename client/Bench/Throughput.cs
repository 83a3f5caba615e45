using System.Diagnostics;

namespace GrantSim.Client.Bench;

/// <summary>How many calls a second a number of callers complete, each calling again as soon as its call returns.</summary>
public static class Throughput
{
    public static async Task<double> MeasureAsync(Func<int, Task> call, int concurrency, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        // A warm-up, so that activation and the JIT's first tiers are not measured (tiered compilation
        // replaces the quick first code after about thirty calls and a moment's background work).
        await RunAsync(call, concurrency, TimeSpan.FromMilliseconds(Math.Min(1000, duration.TotalMilliseconds / 2)), cancellationToken);
        var (calls, elapsed) = await RunAsync(call, concurrency, duration, cancellationToken);
        return calls / elapsed.TotalSeconds;
    }

    private static async Task<(long Calls, TimeSpan Elapsed)> RunAsync(Func<int, Task> call, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        long calls = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            while (stopwatch.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                await call(worker);
                Interlocked.Increment(ref calls);
            }
        }));
        return (calls, stopwatch.Elapsed);
    }
}

/// <summary>The median of several runs, with the spread (lowest and highest).</summary>
public sealed record Figure(string Name, string Unit, double Median, double Low, double High, IReadOnlyList<double> Runs)
{
    public static Figure Of(string name, string unit, IReadOnlyList<double> runs)
    {
        var sorted = runs.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new Figure(name, unit, Math.Round(median, 2), Math.Round(sorted[0], 2), Math.Round(sorted[^1], 2), runs.Select(r => Math.Round(r, 2)).ToArray());
    }
}

/// <summary>
/// A measured figure against another measured in the same run (or a ceiling), and the target the
/// ratio must reach — or, for a ceiling such as memory, stay under (<see cref="AtMost"/>).
/// </summary>
public sealed record Ratio(string Name, double Value, double Target, bool AtMost = false)
{
    public bool Met => AtMost ? Value <= Target : Value >= Target;
}
