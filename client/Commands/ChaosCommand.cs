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
        var selected = ScenarioCatalogue.Select(settings.Scenario);
        var startedAt = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        await using IGrantSimConnection cluster = settings.Cluster
            ? await ClusterConnection.ConnectAsync(settings.ClientOptions(), cancellationToken, ClusterConnection.ReadSiloControl())
            : await EmbeddedCluster.StartAsync(EmbeddedSilos, cancellationToken, settings.ClientOptions().Telemetry);
        var harness = new ChaosHarness(cluster, options);
        var cannot = harness.CannotRun(selected.Select(s => s.Scenario));
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

        var progress = selected.Select(s => new ScenarioProgress(s.Scenario)).ToArray();
        var reports = new List<ScenarioReport>();
        async Task RunAll()
        {
            for (var i = 0; i < selected.Count; i++)
            {
                reports.Add(await harness.RunAsync(selected[i].Index, progress[i], cancellationToken));
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
                var report = await harness.RunAsync(selected[i].Index, progress[i], cancellationToken);
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
}
