using System.Globalization;
using GrantSim.Client.Chaos;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Simulation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace GrantSim.Client.Commands;

/// <summary>The chaos run on the console: a live table while it runs, and the report at the end.</summary>
public static class ChaosView
{
    private const int BarWidth = 24;

    /// <summary>A progress bar per scenario, with its operations, errors and injected faults; below, the running scenario's errors and faults.</summary>
    public static IRenderable Live(IReadOnlyList<ScenarioProgress> scenarios)
    {
        var table = new Table().Title("Chaos scenarios").AddColumns("Scenario", "Progress", "Operations", "Errors", "Faults injected", "State");
        foreach (var scenario in scenarios)
        {
            var context = scenario.Context;
            var done = scenario.Report is not null ? 1 : context?.Progress ?? 0;
            var samples = context?.Runner.Log.Samples() ?? [];
            table.AddRow(
                Markup.Escape(scenario.Scenario.Name),
                Bar(done),
                Number(context?.Runner.Log.Total ?? 0),
                Number(samples.Count(s => s.Outcome != OperationKinds.Ok)),
                Number(context?.Faults.Injected().Values.Sum() ?? 0),
                StateMarkup(scenario.State));
        }

        var running = scenarios.LastOrDefault(s => s.Context is not null);
        if (running?.Context is not { } current)
        {
            return table;
        }

        var errors = new Table().Title($"Errors in {Markup.Escape(running.Scenario.Name)}").AddColumn("Exception").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (name, count) in ScenarioFigures.ErrorsByException(current.Runner.Log.Samples()).OrderByDescending(p => p.Value).Take(8))
        {
            errors.AddRow(Markup.Escape(name), Number(count));
        }

        var faults = new Table().Title($"Faults in {Markup.Escape(running.Scenario.Name)}").AddColumn("Fault").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (name, count) in current.Faults.Injected())
        {
            faults.AddRow(Markup.Escape(name), Number(count));
        }

        return new Rows(table, new Columns(errors, faults).Collapse());
    }

    public static void Render(IAnsiConsole console, ChaosReport report)
    {
        foreach (var scenario in report.Scenarios)
        {
            console.Write(new Rule($"{Markup.Escape(scenario.Name)}: {(scenario.Passed ? "[green]passed[/]" : "[red]FAILED[/]")}").LeftJustified());
            console.MarkupLine($"[grey]{Markup.Escape(scenario.Description)}[/]");
            console.MarkupLine($"{scenario.Operations} operations in {scenario.ElapsedSeconds:0.0} s, tenants {Markup.Escape(string.Join(", ", scenario.Accounts))}, seed {scenario.Seed}");

            var c = scenario.Counts;
            var counts = new Table().AddColumns("Pushes acknowledged", "owed", "lost", "Grants created", "active", "retired", "revoked", "left over, reported", "leaked", "Work resumed");
            counts.AddRow(Number(c.AcknowledgedPushes), Number(c.PushesOwed), MustBeZero(c.PushesLost), Number(c.GrantsCreated), Number(c.GrantsActive),
                Number(c.GrantsRetired), Number(c.GrantsRevoked), Number(c.GrantsLeftoverReported), MustBeZero(c.GrantsLeaked), Number(c.ResumedAfterFaults));
            console.Write(counts);

            var phases = new Table().AddColumns("Phase", "Operations", "Seconds", "Ops/s", "Error rate", "p50 ms", "p95 ms", "Retries");
            foreach (var phase in scenario.Phases)
            {
                phases.AddRow(Markup.Escape(phase.Phase), Number(phase.Operations), phase.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
                    phase.OperationsPerSecond.ToString("0.0", CultureInfo.InvariantCulture), phase.ErrorRate.ToString("0.0%", CultureInfo.InvariantCulture),
                    phase.LatencyP50Milliseconds.ToString("0.0", CultureInfo.InvariantCulture), phase.LatencyP95Milliseconds.ToString("0.0", CultureInfo.InvariantCulture), Number(phase.Retries));
            }

            console.Write(phases);

            var findings = new Table().AddColumns("Check", "Checked", "Result");
            foreach (var check in scenario.Checks)
            {
                findings.AddRow(Markup.Escape(check.Name), Number(check.Checked), Result(check.Held, check.Violations));
            }

            foreach (var invariant in scenario.Invariants)
            {
                findings.AddRow($"Invariant {invariant.Number}: {Markup.Escape(invariant.Name)}", Number(invariant.Checked), Result(invariant.Held, invariant.Violations));
            }

            console.Write(findings);

            var notes = scenario.InjectedFaults.Select(p => $"{p.Key}: {p.Value}")
                .Concat((scenario.Figures ?? new Dictionary<string, double>()).Select(p => $"{p.Key}: {p.Value.ToString("0.###", CultureInfo.InvariantCulture)}"));
            foreach (var note in notes)
            {
                console.MarkupLine($"  [grey]{Markup.Escape(note)}[/]");
            }
        }

        var lost = report.Scenarios.Sum(s => s.Counts.PushesLost);
        var leaked = report.Scenarios.Sum(s => s.Counts.GrantsLeaked);
        console.MarkupLine(report.Passed
            ? $"[green]All {report.Scenarios.Count} scenario(s) passed[/]: {lost} pushes lost, {leaked} grants leaked, every invariant held ({report.ElapsedSeconds:0.0} s)."
            : $"[red]{report.Scenarios.Count(s => !s.Passed)} of {report.Scenarios.Count} scenario(s) failed[/]: {lost} pushes lost, {leaked} grants leaked.");
    }

    private static string Bar(double fraction)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * BarWidth);
        return $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {fraction,4:P0}";
    }

    private static string StateMarkup(string state) => state switch
    {
        "passed" => "[green]passed[/]",
        "FAILED" => "[red]FAILED[/]",
        "running" => "[yellow]running[/]",
        _ => Markup.Escape(state),
    };

    private static string Result(bool held, IReadOnlyList<string> violations) =>
        held ? "[green]held[/]"
        : "[red]violated[/]: " + Markup.Escape(string.Join("; ", violations.Take(3)) + (violations.Count > 3 ? $" (+{violations.Count - 3} more)" : ""));

    private static string MustBeZero(long count) => count == 0 ? "[green]0[/]" : $"[red]{count}[/]";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
