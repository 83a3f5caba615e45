using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Histories;
using GrantSim.Client.Hosting;
using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;
using GrantSim.Simulation;

namespace GrantSim.Client.Chaos;

/// <summary>What the live display shows of one scenario while it waits, runs and ends.</summary>
public sealed class ScenarioProgress(ChaosScenario scenario)
{
    public ChaosScenario Scenario { get; } = scenario;

    public string State { get; set; } = "waiting";

    public ScenarioContext? Context { get; set; }

    public ScenarioReport? Report { get; set; }
}

/// <summary>
/// Runs chaos scenarios one after another on one connection. For each: fresh tenants (a block of
/// accounts of its own), the scenario's workload and faults, then every fault ended, pending work
/// finished, and the report: the scenario's own checks, every invariant of SPEC §7, the counts.
/// </summary>
public sealed class ChaosHarness(IGrantSimConnection connection, ChaosOptions options)
{
    private IGrainFactory Grains => connection.Client;

    /// <summary>Why some of <paramref name="scenarios"/> cannot run on this connection, before any runs.</summary>
    public IReadOnlyList<string> CannotRun(IEnumerable<ChaosScenario> scenarios) =>
        scenarios.Select(s => s.CannotRunBecause(connection.Silos)).OfType<string>().ToArray();

    public async Task<ScenarioReport> RunAsync(ScenarioProgress progress, CancellationToken cancellationToken = default)
    {
        var scenario = progress.Scenario;
        progress.State = "setting up";
        var accounts = World.AccountsFor(options.FirstAccountOf(scenario), options.Tenants);
        var simulation = new SimulationOptions
        {
            Tenants = options.Tenants,
            Operations = options.Operations,
            Seed = options.Seed,
            FirstAccount = options.FirstAccountOf(scenario),
            Mix = scenario.Mix,
            Retry = scenario.RetriesLikeAnSdk ? RetryPolicy.Standard(options.BackoffBase) : RetryPolicy.None,
        };
        var world = await World.CreateAsync(Grains, accounts, simulation.Regions, cancellationToken);
        var runner = new SimulationRunner(Grains, new ClusterClock(Grains), world, simulation);
        var context = new ScenarioContext(scenario.Name, Grains, new ClusterClock(Grains), connection.Silos, world, runner, options, cancellationToken);
        progress.Context = context;
        progress.State = "running";

        await using var sampler = new GrantStateSampler(Grains, world, runner.Log);
        sampler.Start();
        try
        {
            await scenario.RunAsync(context);
            context.Check("The scenario ran to its end", 1, []);
        }
        catch (Exception error) when (error is not OperationCanceledException || ClusterFailures.IsClusterFailure(error))
        {
            // A scenario that breaks is a finding, reported with everything else, not a crash of the run.
            // (A connection aborted under a call is an OperationCanceledException too, but not a cancellation of the run.)
            context.Check("The scenario ran to its end", 1, [$"{error.GetType().Name}: {error.Message}"]);
        }

        progress.State = "checking";
        await context.WaitForBackgroundEventsAsync();
        // A silo may have died a moment ago: the bookkeeping waits for the cluster to heal.
        await ClusterRetry.RunAsync(() => context.SetTenantSettingsAsync(FaultPlan.None, TimeSpan.Zero), cancellationToken: cancellationToken);

        // The faults are over: finish whatever they left pending, as the repositories' reminders would.
        var checker = new InvariantChecker(Grains, world, runner.Ledger, scenario.PropagationDelay);
        var settled = await checker.SettleAsync(cancellationToken);
        var windows = context.Faults.Windows();
        var elapsed = runner.Log.ElapsedSeconds;
        var grantStates = await sampler.StopAsync();

        var state = await checker.ReadStateAsync(cancellationToken);
        var invariants = await checker.CheckAsync(state, cancellationToken);
        var samples = runner.Log.Samples();
        var injected = new SortedDictionary<string, int>(context.Faults.Injected().ToDictionary(), StringComparer.Ordinal);
        foreach (var (kind, count) in ScenarioFigures.InjectedKmsErrors(state))
        {
            injected[kind] = count;
        }

        var report = new ScenarioReport(
            scenario.Name,
            scenario.Description,
            options.Seed,
            accounts,
            simulation.Regions,
            runner.Log.Total,
            Math.Round(elapsed, 2),
            runner.Log.Snapshot(),
            ScenarioFigures.ErrorsByException(samples),
            injected,
            windows,
            runner.Log.Timeline(),
            grantStates,
            ScenarioFigures.Phases(samples, runner.Log.RetryTimes(), windows, elapsed),
            ScenarioFigures.Counts(runner.Ledger, runner.Log, state, invariants, context.Resumed + settled),
            context.Checks,
            invariants.Results,
            context.Figures,
            HistoryFiguresOf(runner.History.Entries(), checker.Histories));
        progress.Report = report;
        progress.State = report.Passed ? "passed" : "FAILED";
        return report;
    }

    private static HistoryFigures HistoryFiguresOf(IReadOnlyList<HistoryEntry> entries, IReadOnlyList<HistoryVerdict> verdicts) => new(
        verdicts.Count,
        entries.Count,
        entries.Count(e => e.IsUnknown),
        verdicts.Count(v => v.Verdict.Linearizable == false),
        verdicts.Count(v => v.Verdict.Linearizable is null),
        entries.Select(e => new HistoryRecord(e.Id, e.Partition, e.Operation, e.Argument, e.Outcome, Math.Round(e.Invoked, 4),
            double.IsPositiveInfinity(e.Returned) ? null : Math.Round(e.Returned, 4))).ToArray());
}
