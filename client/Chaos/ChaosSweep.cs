using System.Diagnostics;
using System.Text.Json;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Commands;
using GrantSim.Client.Hosting;

namespace GrantSim.Client.Chaos;

/// <summary>One scenario of one seed in a sweep: how it ended and, when it failed, what broke.</summary>
public sealed record SweepRow(int Seed, string Scenario, bool Passed, double Seconds, int PushesLost, long GrantsLeaked, int Unknown, int NotLinearizable, IReadOnlyList<string> Broke, string? TimingDependence);

/// <summary>What a sweep found: every row, and the totals its summary line prints.</summary>
public sealed record SweepSummary(IReadOnlyList<int> Seeds, IReadOnlyList<string> Scenarios, double ElapsedSeconds, IReadOnlyList<SweepRow> Rows)
{
    public int Runs => Rows.Count;

    public int Failed => Rows.Count(r => !r.Passed);

    public int PushesLost => Rows.Sum(r => r.PushesLost);

    public long GrantsLeaked => Rows.Sum(r => r.GrantsLeaked);

    public int NotLinearizable => Rows.Sum(r => r.NotLinearizable);

    public int InvariantViolations => Rows.Sum(r => r.Broke.Count);

    public bool Passed => Failed == 0;
}

/// <summary>
/// Many seeded chaos runs, one after another: each seed exactly as <c>chaos --seed N</c> runs it alone
/// (on three fresh embedded silos, the same accounts), so that any failure is replayed from its seed.
/// Each failing seed's whole report (report.json with its history, report.html) is written to
/// <c>DIR/seed-N/</c>, and the sweep's rows to <c>DIR/sweep.json</c>.
/// </summary>
public sealed class ChaosSweep(Func<CancellationToken, Task<IGrantSimConnection>> connect, ChaosOptions options, string scenario, string reportDirectory)
{
    public const string SummaryFileName = "sweep.json";

    public async Task<SweepSummary> RunAsync(IReadOnlyList<int> seeds, Action<int, IReadOnlyList<SweepRow>> onSeed, CancellationToken cancellationToken = default)
    {
        var selected = ScenarioCatalogue.Select(scenario);
        var stopwatch = Stopwatch.StartNew();
        var rows = new List<SweepRow>();
        Directory.CreateDirectory(reportDirectory);
        foreach (var seed in seeds)
        {
            var seedOptions = options with { Seed = seed };
            var started = Stopwatch.StartNew();
            var reports = new List<ScenarioReport>();
            await using (var connection = await connect(cancellationToken))
            {
                var harness = new ChaosHarness(connection, seedOptions);
                foreach (var chosen in selected)
                {
                    reports.Add(await harness.RunAsync(new ScenarioProgress(chosen), cancellationToken));
                }

                var seedRows = reports.Select(r => RowOf(seed, r, selected.Single(s => s.Name == r.Name))).ToArray();
                rows.AddRange(seedRows);
                if (seedRows.Any(r => !r.Passed))
                {
                    var report = new ChaosReport(seed, connection.Description, DateTimeOffset.UtcNow - started.Elapsed, Math.Round(started.Elapsed.TotalSeconds, 2), reports);
                    await ChaosReportWriter.WriteAsync(report, Path.Combine(reportDirectory, $"seed-{seed}"), cancellationToken);
                }

                onSeed(seed, seedRows);
            }

            var summary = new SweepSummary(seeds, selected.Select(s => s.Name).ToArray(), Math.Round(stopwatch.Elapsed.TotalSeconds, 1), rows);
            await File.WriteAllTextAsync(Path.Combine(reportDirectory, SummaryFileName), JsonSerializer.Serialize(summary, SimulateCommand.JsonOptions), cancellationToken);
        }

        return new SweepSummary(seeds, selected.Select(s => s.Name).ToArray(), Math.Round(stopwatch.Elapsed.TotalSeconds, 1), rows);
    }

    private static SweepRow RowOf(int seed, ScenarioReport report, ChaosScenario scenario)
    {
        var broke = report.Checks.Where(c => !c.Held).Select(c => $"check '{c.Name}': {c.Violations.FirstOrDefault()}")
            .Concat(report.Invariants.Where(i => !i.Held).Select(i => $"invariant {i.Number}: {i.Violations.FirstOrDefault()}"))
            .ToArray();
        return new SweepRow(seed, report.Name, report.Passed, report.ElapsedSeconds, report.Counts.PushesLost, report.Counts.GrantsLeaked,
            report.History?.Unknown ?? 0, report.History?.NotLinearizable ?? 0, broke, scenario.TimingDependence);
    }

    /// <summary>Seeds from <c>A..B</c> (inclusive), <c>A-B</c>, or a comma-separated list; null when the text is none of those.</summary>
    public static IReadOnlyList<int>? ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split(part.Contains("..", StringComparison.Ordinal) ? ".." : "-", 2);
            if (range.Length == 2 && int.TryParse(range[0], out var from) && int.TryParse(range[1], out var to) && from <= to && to - from < 1_000_000)
            {
                seeds.AddRange(Enumerable.Range(from, to - from + 1));
            }
            else if (range.Length == 1 && int.TryParse(part, out var single))
            {
                seeds.Add(single);
            }
            else
            {
                return null;
            }
        }

        return seeds.Count == 0 ? null : seeds.Distinct().ToArray();
    }
}
