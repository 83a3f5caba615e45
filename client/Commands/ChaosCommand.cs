using System.Diagnostics;
using GrantSim.Client.Chaos;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

/// <summary>
/// <c>chaos</c>: named, seeded scenarios that break things on purpose (silos, KMS, grants, keys),
/// with a live display, a report a person reads, and exit code 1 when anything was lost, leaked
/// or broke an invariant.
/// </summary>
public sealed class ChaosCommand(IAnsiConsole console) : AsyncCommand<ChaosSettings>
{
    /// <summary>Silos of the embedded cluster: silo 0 holds the membership, 1 and 2 may be killed.</summary>
    public const int EmbeddedSilos = 3;

    public override async Task<int> ExecuteAsync(CommandContext context, ChaosSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        if (settings.IsSweep)
        {
            return await SweepAsync(settings, options, cancellationToken);
        }

        var selected = ScenarioCatalogue.Select(settings.Scenario);
        var startedAt = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        await using IGrantSimConnection cluster = settings.Cluster
            ? await ClusterConnection.ConnectAsync(settings.ClientOptions(), cancellationToken, ClusterConnection.ReadSiloControl())
            : await EmbeddedCluster.StartAsync(EmbeddedSilos, cancellationToken, settings.ClientOptions().Telemetry);
        var harness = new ChaosHarness(cluster, options);
        var cannot = harness.CannotRun(selected);
        if (cannot.Count > 0)
        {
            foreach (var reason in cannot)
            {
                console.MarkupLine($"[red]Cannot run:[/] {Markup.Escape(reason)}");
            }

            return 2;
        }

        var size = options.Duration is { } duration ? $"{duration.TotalSeconds:0} s" : $"{options.Operations} operations";
        console.MarkupLine($"[bold]GrantSim chaos[/] on {Markup.Escape(cluster.Description)}: {selected.Count} scenario(s), {options.Tenants} tenants and {size} each, seed {options.Seed}");

        var progress = selected.Select(s => new ScenarioProgress(s)).ToArray();
        var reports = new List<ScenarioReport>();
        async Task RunAll()
        {
            for (var i = 0; i < selected.Count; i++)
            {
                reports.Add(await harness.RunAsync(progress[i], cancellationToken));
            }
        }

        if (console.Profile.Capabilities.Interactive)
        {
            await console.Live(ChaosView.Live(progress)).AutoClear(false).StartAsync(async live =>
            {
                var run = RunAll();
                while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken)) != run)
                {
                    live.UpdateTarget(ChaosView.Live(progress));
                }

                live.UpdateTarget(ChaosView.Live(progress));
                await run;
            });
        }
        else
        {
            // No live redraw on a pipe or in CI: a line as each scenario ends.
            for (var i = 0; i < selected.Count; i++)
            {
                var report = await harness.RunAsync(progress[i], cancellationToken);
                reports.Add(report);
                console.MarkupLine($"{(report.Passed ? "[green]passed[/]" : "[red]FAILED[/]")} {report.Name}: {report.Operations} operations in {report.ElapsedSeconds:0.0} s");
            }
        }

        var chaosReport = new ChaosReport(options.Seed, cluster.Description, startedAt, Math.Round(stopwatch.Elapsed.TotalSeconds, 2), reports);
        ChaosView.Render(console, chaosReport);
        if (settings.Report is { } directory)
        {
            await ChaosReportWriter.WriteAsync(chaosReport, directory, cancellationToken);
            console.MarkupLine($"Report written to [blue]{Markup.Escape(Path.Combine(directory, "report.html"))}[/] and report.json");
        }

        return chaosReport.Passed ? 0 : 1;
    }

    /// <summary>Many seeds, each on fresh embedded silos; a line per seed, then every failure with how to replay it, and one summary line.</summary>
    private async Task<int> SweepAsync(ChaosSettings settings, ChaosOptions options, CancellationToken cancellationToken)
    {
        var seeds = settings.SweepSeeds();
        var directory = settings.Report ?? "chaos-sweep";
        var size = options.Duration is { } duration ? $"{duration.TotalSeconds:0} s" : $"{options.Operations} operations";
        console.MarkupLine($"[bold]GrantSim chaos sweep[/]: {seeds.Count} seed(s) of {Markup.Escape(settings.Scenario)}, {options.Tenants} tenants and {size} per scenario, each seed on {EmbeddedSilos} fresh embedded silos; reports of failing seeds in {Markup.Escape(directory)}");
        var sweep = new ChaosSweep(
            async token => await EmbeddedCluster.StartAsync(EmbeddedSilos, token, settings.ClientOptions().Telemetry),
            options, settings.Scenario, directory);
        var done = 0;
        var summary = await sweep.RunAsync(seeds, (seed, rows) =>
        {
            done++;
            var failed = rows.Where(r => !r.Passed).ToArray();
            var line = failed.Length == 0
                ? $"[green]passed[/] seed {seed}: {rows.Count}/{rows.Count} scenarios in {rows.Sum(r => r.Seconds):0.0} s ({rows.Sum(r => r.Unknown)} operations with no answer)"
                : $"[red]FAILED[/] seed {seed}: " + Markup.Escape(string.Join("; ", failed.Select(r => $"{r.Scenario}: {r.Broke.FirstOrDefault() ?? $"{r.PushesLost} pushes lost, {r.GrantsLeaked} grants leaked"}")));
            console.MarkupLine($"[grey]{done}/{seeds.Count}[/] {line}");
        }, cancellationToken);

        var failures = summary.Rows.Where(r => !r.Passed).ToArray();
        if (failures.Length > 0)
        {
            var table = new Table().Title("Failures").AddColumn("Seed").AddColumn("Scenario").AddColumn("What broke").AddColumn("Replay");
            foreach (var row in failures)
            {
                var replay = $"chaos --scenario {row.Scenario} --seed {row.Seed}"
                    + (row.TimingDependence is { } timing ? $" (may not fail again: {timing})" : " (replays exactly)");
                table.AddRow(row.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(row.Scenario),
                    Markup.Escape(string.Join("; ", row.Broke.DefaultIfEmpty($"{row.PushesLost} pushes lost, {row.GrantsLeaked} grants leaked"))), Markup.Escape(replay));
            }

            console.Write(table);
        }

        console.MarkupLine(
            $"{(summary.Passed ? "[green]Sweep passed[/]" : "[red]Sweep FAILED[/]")}: {summary.Seeds.Count} seeds × {summary.Scenarios.Count} scenario(s) = {summary.Runs} runs, "
            + $"{summary.Runs - summary.Failed} passed, {summary.Failed} failed; pushes lost {summary.PushesLost}, grants leaked {summary.GrantsLeaked}, "
            + $"linearizability violations {summary.NotLinearizable}, invariant or check violations {summary.InvariantViolations}; "
            + $"{summary.Rows.Sum(r => r.Unknown)} operations with no answer; {TimeSpan.FromSeconds(summary.ElapsedSeconds):h\\:mm\\:ss} wall. Rows: {Markup.Escape(Path.Combine(directory, ChaosSweep.SummaryFileName))}");
        return summary.Passed ? 0 : 1;
    }
}
