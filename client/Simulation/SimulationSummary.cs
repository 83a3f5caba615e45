using GrantSim.Audit;
using GrantSim.Client.Invariants;
using GrantSim.Kms;

namespace GrantSim.Client.Simulation;

public sealed record GrantCounts(int Created, int Active, int Retired, int Revoked, int LeftoverReported);

/// <summary>What a run prints and writes with --json: every figure of the summary.</summary>
public sealed record SimulationSummary(
    int Seed,
    int Tenants,
    IReadOnlyList<string> Regions,
    int Operations,
    double ElapsedSeconds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> OperationsByKind,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> KmsCalls,
    GrantCounts Grants,
    IReadOnlyList<InvariantResult> Invariants,
    DateTimeOffset StartedAt,
    IReadOnlyList<TimelineSecond> Timeline)
{
    public bool AllInvariantsHeld => Invariants.All(i => i.Held);

    public static SimulationSummary Create(SimulationOptions options, TimeSpan elapsed, OperationLog log, StateSnapshot state, InvariantReport report)
    {
        // Each event counted once, in the trail of the account that owns the key.
        var kmsEvents = state.Trails
            .SelectMany(t => t.Value.Where(e => e.EventSource == AuditEvent.KmsEventSource && e.RecipientAccountId == t.Key.Account));
        var counts = AuditFilter.Count(kmsEvents).ByEventAndOutcome
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, long>)new SortedDictionary<string, long>(p.Value.ToDictionary()), StringComparer.Ordinal);
        var grants = state.GrantsByKey.Values.SelectMany(g => g).ToArray();
        var grantCounts = new GrantCounts(
            grants.Length,
            grants.Count(g => g.Status == GrantStatus.Active),
            grants.Count(g => g.Status == GrantStatus.Retired),
            grants.Count(g => g.Status == GrantStatus.Revoked),
            state.Leftovers.Values.SelectMany(r => r).Sum(r => r.GrantIds.Count));
        return new SimulationSummary(options.Seed, options.Tenants, options.Regions, log.Total, Math.Round(elapsed.TotalSeconds, 2),
            log.Snapshot(), counts, grantCounts, report.Results, log.StartedAt, log.Timeline());
    }
}
