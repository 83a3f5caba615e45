using System.Diagnostics;
using GrantSim.Client.Hosting;
using GrantSim.Client.Invariants;

namespace GrantSim.Client.Simulation;

/// <summary>What a finished run hands back: the summary, and how many interrupted creates or deletes were finished before the check.</summary>
public sealed record SimulationOutcome(SimulationSummary Summary, int Settled);

/// <summary>
/// One whole run of the default simulation on a connection: the world, the seeded operations, then
/// pending work finished, the state read and every invariant checked. The command adds only its
/// display. A silo that dies under the run (the client's gateway included) never ends it early:
/// calls that get no answer are recorded as unknown, reads are retried, the check waits for the
/// cluster to heal.
/// </summary>
public static class SimulationSession
{
    public static async Task<SimulationOutcome> RunAsync(
        IGrantSimConnection connection, SimulationOptions options, Action<int>? onProgress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var world = await World.CreateAsync(connection.Client, World.AccountsFor(options.FirstAccount, options.Tenants), options.Regions, cancellationToken);
        var runner = new SimulationRunner(connection.Client, new ClusterClock(connection.Client), world, options);
        await runner.RunAsync(onProgress, cancellationToken);

        var checker = new InvariantChecker(connection.Client, world, runner.Ledger, TimeSpan.Zero);
        var settled = await checker.SettleAsync(cancellationToken);
        var state = await checker.ReadStateAsync(cancellationToken);
        var report = await checker.CheckAsync(state, cancellationToken);
        return new SimulationOutcome(SimulationSummary.Create(options, stopwatch.Elapsed, runner.Log, state, report), settled);
    }
}
