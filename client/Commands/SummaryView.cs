using GrantSim.Client.Simulation;
using Spectre.Console;

namespace GrantSim.Client.Commands;

/// <summary>Renders a run's summary as tables.</summary>
public static class SummaryView
{
    public static void Render(IAnsiConsole console, SimulationSummary summary)
    {
        var operations = new Table().Title("Operations by kind and outcome").AddColumn("Operation").AddColumn("Outcome").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (kind, outcomes) in summary.OperationsByKind)
        {
            foreach (var (outcome, count) in outcomes)
            {
                operations.AddRow(Markup.Escape(kind), Markup.Escape(outcome), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var kms = new Table().Title("KMS calls (audit trail)").AddColumn("Event").AddColumn("Outcome").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (eventName, outcomes) in summary.KmsCalls)
        {
            foreach (var (outcome, count) in outcomes)
            {
                kms.AddRow(Markup.Escape(eventName), Markup.Escape(outcome), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var grants = new Table().Title("Grants").AddColumn("Created").AddColumn("Active").AddColumn("Retired").AddColumn("Revoked").AddColumn("Left over, reported");
        grants.AddRow(
            summary.Grants.Created.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.Grants.Active.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.Grants.Retired.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.Grants.Revoked.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.Grants.LeftoverReported.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var invariants = new Table().Title("Invariants (SPEC §7)").AddColumn("#").AddColumn("Invariant").AddColumn("Checked").AddColumn("Result");
        foreach (var invariant in summary.Invariants)
        {
            var result = invariant.Held
                ? "[green]held[/]"
                : "[red]violated[/]: " + Markup.Escape(string.Join("; ", invariant.Violations.Take(5)) + (invariant.Violations.Count > 5 ? $" (+{invariant.Violations.Count - 5} more)" : ""));
            invariants.AddRow(invariant.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(invariant.Name),
                invariant.Checked.ToString(System.Globalization.CultureInfo.InvariantCulture), result);
        }

        console.Write(operations);
        var unknown = summary.OperationsByKind.Values.SelectMany(o => o).Where(o => OperationLog.IsUnknown(o.Key)).Sum(o => o.Value);
        if (unknown > 0)
        {
            console.MarkupLine($"[yellow]{unknown} operation(s) got no answer[/] (a silo died or a call timed out): {OperationLog.Unknown}(…) is neither a success nor a failure; the checks read from the final state whether each took effect.");
        }

        console.Write(kms);
        console.Write(grants);
        console.Write(invariants);
        console.MarkupLine(summary.AllInvariantsHeld
            ? $"[green]Every invariant held[/] after {summary.Operations} operations in {summary.ElapsedSeconds:0.0} s."
            : $"[red]{summary.Invariants.Count(i => !i.Held)} invariant(s) violated.[/]");
    }
}
