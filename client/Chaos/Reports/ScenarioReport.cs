using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;

namespace GrantSim.Client.Chaos.Reports;

/// <summary>
/// One scenario's figures (<see cref="Figures"/>: its own measurements, e.g. recovery seconds). Times (fault windows, timeline seconds, samples) are seconds since the
/// scenario started. <see cref="Passed"/>: every scenario check and invariant held, nothing lost, nothing leaked.
/// </summary>
public sealed record ScenarioReport(
    string Name,
    string Description,
    int Seed,
    IReadOnlyList<string> Accounts,
    IReadOnlyList<string> Regions,
    int Operations,
    double ElapsedSeconds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> OperationsByKind,
    IReadOnlyDictionary<string, int> ErrorsByException,
    IReadOnlyDictionary<string, int> InjectedFaults,
    IReadOnlyList<FaultWindow> FaultWindows,
    IReadOnlyList<TimelineSecond> Timeline,
    IReadOnlyList<GrantStateSample> GrantStates,
    IReadOnlyList<PhaseFigures> Phases,
    ChaosCounts Counts,
    IReadOnlyList<ScenarioCheck> Checks,
    IReadOnlyList<InvariantResult> Invariants,
    IReadOnlyDictionary<string, double>? Figures = null,
    HistoryFigures? History = null)
{
    public bool Passed =>
        Counts.PushesLost == 0 && Counts.GrantsLeaked == 0 && Checks.All(c => c.Held) && Invariants.All(i => i.Held);
}

/// <summary>
/// The scenario's history: how many objects (repositories, keys) and operations it recorded, how many
/// got no answer, how many objects no sequential order explains (must be 0) or could not be decided
/// in the search's budget (must be 0), and every operation (unknown outcomes with no return time).
/// </summary>
public sealed record HistoryFigures(int Objects, int Operations, int Unknown, int NotLinearizable, int Inconclusive, IReadOnlyList<HistoryRecord> Entries);

/// <summary>One operation of a history as report.json holds it: seconds since the scenario started; no return for an unknown outcome.</summary>
public sealed record HistoryRecord(int Id, string Object, string Operation, string Argument, string Outcome, double Invoked, double? Returned);

/// <summary>When a fault was in force: a silo down, KMS throttling or out, a propagation delay.</summary>
public sealed record FaultWindow(string Label, double StartSecond, double EndSecond);

/// <summary>How many ECR grants (those naming a repository) were active, retired and revoked at a moment of the run, from the audit trail.</summary>
public sealed record GrantStateSample(double Second, long Created, long Active, long Retired, long Revoked);

/// <summary>Throughput, error rate and latency of the operations that started in one phase (before, during or after a fault).</summary>
public sealed record PhaseFigures(
    string Phase,
    int Operations,
    double Seconds,
    double OperationsPerSecond,
    double ErrorRate,
    double LatencyP50Milliseconds,
    double LatencyP95Milliseconds,
    int Retries);

/// <summary>
/// The counts the chaos report promises. <see cref="PushesLost"/>: acknowledged images of live
/// repositories that are gone or differ (must be 0). <see cref="GrantsLeaked"/>: active ECR grants of
/// no live repository that no leftover report names (must be 0).
/// </summary>
public sealed record ChaosCounts(
    int AcknowledgedPushes,
    int PushesOwed,
    int PushesLost,
    long GrantsCreated,
    long GrantsActive,
    long GrantsRetired,
    long GrantsRevoked,
    long GrantsLeftoverReported,
    long GrantsLeaked,
    int ResumedAfterFaults);

/// <summary>A scenario's own promise (e.g. "every pull after a revoke fails"), with how many cases it judged.</summary>
public sealed record ScenarioCheck(string Name, bool Held, int Checked, IReadOnlyList<string> Violations);
