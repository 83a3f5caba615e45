using System.Text.RegularExpressions;
using GrantSim.Aws;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Kms;

namespace GrantSim.Client.Chaos;

/// <summary>The figures of a scenario's report, computed from its operation log, its fault windows and the final state. Pure, so that it is tested without a cluster.</summary>
public static partial class ScenarioFigures
{
    /// <summary>Before the first fault, during each, after the last; the whole run when there was none.</summary>
    public static IReadOnlyList<PhaseFigures> Phases(IReadOnlyList<OperationSample> samples, IReadOnlyList<double> retries, IReadOnlyList<FaultWindow> windows, double elapsedSeconds)
    {
        if (windows.Count == 0)
        {
            return [Phase("whole run", samples, retries, 0, elapsedSeconds, throughEnd: true)];
        }

        var first = windows.Min(w => w.StartSecond);
        var last = windows.Max(w => w.EndSecond);
        var phases = new List<PhaseFigures> { Phase("before the faults", samples, retries, 0, first) };
        phases.AddRange(windows.Select(w => Phase($"during: {w.Label}", samples, retries, w.StartSecond, w.EndSecond)));
        phases.Add(Phase("after the faults", samples, retries, last, Math.Max(last, elapsedSeconds), throughEnd: true));
        return phases.Where(p => p.Operations > 0).ToArray();
    }

    /// <summary>The operations that started in [from, to) — through <paramref name="to"/> itself for the last phase of a run.</summary>
    public static PhaseFigures Phase(string name, IReadOnlyList<OperationSample> samples, IReadOnlyList<double> retries, double from, double to, bool throughEnd = false)
    {
        bool Within(double second) => second >= from && (second < to || (throughEnd && second <= to));
        var inPhase = samples.Where(s => Within(s.StartSecond)).ToArray();
        var seconds = Math.Max(to - from, 0);
        var latencies = inPhase.Select(s => s.LatencyMilliseconds).Order().ToArray();
        var errors = inPhase.Count(s => s.Outcome != OperationKinds.Ok);
        return new PhaseFigures(
            name,
            inPhase.Length,
            Math.Round(seconds, 3),
            seconds > 0 ? Math.Round(inPhase.Length / seconds, 2) : 0,
            inPhase.Length > 0 ? Math.Round((double)errors / inPhase.Length, 4) : 0,
            Math.Round(Percentile(latencies, 0.50), 2),
            Math.Round(Percentile(latencies, 0.95), 2),
            retries.Count(Within));
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 for none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double quantile)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(quantile * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// Errors by exception name across every operation. A race records both of its outcomes in one
    /// string ("delete OK, push RepositoryNotFoundException"); each exception in it counts once.
    /// </summary>
    public static IReadOnlyDictionary<string, int> ErrorsByException(IReadOnlyList<OperationSample> samples)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var sample in samples.Where(s => s.Outcome != OperationKinds.Ok))
        {
            foreach (Match match in ExceptionName().Matches(sample.Outcome))
            {
                counts[match.Value] = counts.GetValueOrDefault(match.Value) + 1;
            }
        }

        return counts;
    }

    /// <summary>The KMS errors the fault plan injected, as the audit trails recorded them (nothing else in the simulation throttles or times out).</summary>
    public static IReadOnlyDictionary<string, int> InjectedKmsErrors(StateSnapshot state) =>
        state.Trails.Values.SelectMany(t => t)
            .Where(e => e.ErrorCode is { } code && AwsErrorCodes.IsTransient(code))
            .GroupBy(e => $"KMS {e.ErrorCode}", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// The counts the report promises. Lost: an owed image (acknowledged, its repository not deleted
    /// since) whose manifest or a blob is gone from the repository, plus whatever invariant 6 found
    /// pulling back different bytes or nothing. Leaked: an active ECR grant (one naming a repository)
    /// of no live repository that no leftover report names, on a key that still exists.
    /// </summary>
    public static ChaosCounts Counts(SimulationLedger ledger, OperationLog log, StateSnapshot state, InvariantReport invariants, int resumed)
    {
        var byKind = log.Snapshot();
        var acknowledged = byKind.GetValueOrDefault(OperationKinds.PushImage)?.GetValueOrDefault(OperationKinds.Ok) ?? 0;
        acknowledged += byKind.GetValueOrDefault(OperationKinds.ConcurrentDeleteAndPush)?.Where(p => p.Key.EndsWith($"push {OperationKinds.Ok}", StringComparison.Ordinal)).Sum(p => p.Value) ?? 0;

        var owed = 0;
        var missing = 0;
        foreach (var track in ledger.Repositories.Where(t => t.Live is not null))
        {
            var snapshot = state.Repositories.GetValueOrDefault((track.Account, track.Region, track.Name));
            var digests = snapshot?.Images.Select(i => i.ImageDigest).ToHashSet(StringComparer.Ordinal) ?? [];
            var blobs = snapshot?.BlobDigests.ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var image in track.Images)
            {
                owed++;
                if (!digests.Contains(image.ManifestDigest) || image.Blobs.Any(b => !blobs.Contains(b.Digest)))
                {
                    missing++;
                }
            }
        }

        var pulledWrong = invariants.Results.FirstOrDefault(r => r.Number == 6)?.Violations.Count ?? 0;

        var ecrGrants = state.GrantsByKey.SelectMany(k => k.Value.Select(g => (KeyArn: k.Key, Record: g)))
            .Where(g => RepositoryArnOf(g.Record.Grant) is not null)
            .ToArray();
        var liveGrantIds = state.LiveRepositories.SelectMany(r => r.Grants).Select(g => g.GrantId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var reported = state.Leftovers.Values.SelectMany(r => r).SelectMany(r => r.GrantIds).ToHashSet(StringComparer.Ordinal);
        var leaked = ecrGrants.Count(g =>
            g.Record.Status == GrantStatus.Active
            && state.Keys.GetValueOrDefault(g.KeyArn)?.KeyState != KeyState.Deleted
            && !liveGrantIds.Contains(g.Record.Grant.GrantId)
            && !reported.Contains(g.Record.Grant.GrantId));

        return new ChaosCounts(
            acknowledged,
            owed,
            missing + pulledWrong,
            ecrGrants.Length,
            ecrGrants.Count(g => g.Record.Status == GrantStatus.Active),
            ecrGrants.Count(g => g.Record.Status == GrantStatus.Retired),
            ecrGrants.Count(g => g.Record.Status == GrantStatus.Revoked),
            reported.Count,
            leaked,
            resumed);
    }

    private static string? RepositoryArnOf(GrantListEntry grant) => EcrEncryptionContext.RepositoryArnOf(grant);

    [GeneratedRegex(@"[A-Za-z]+Exception(\([A-Za-z]+\))?|Unknown\([A-Za-z]+\)|PullMismatch")]
    private static partial Regex ExceptionName();
}
