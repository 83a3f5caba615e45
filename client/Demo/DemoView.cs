using GrantSim.Kms;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace GrantSim.Client.Demo;

/// <summary>A step on the console: what happens, the result, the KMS and ECR calls as trail events, the grant table, and why it matters.</summary>
public static class DemoView
{
    public static void Lesson(IAnsiConsole console, Lesson lesson)
    {
        console.WriteLine();
        console.Write(new Rule($"[bold]Lesson {lesson.Number}: {Markup.Escape(lesson.Title)}[/]").LeftJustified());
        console.MarkupLine(Markup.Escape(lesson.Introduction));
    }

    public static void Step(IAnsiConsole console, StepRecord record)
    {
        console.WriteLine();
        console.MarkupLine($"[bold yellow]{record.Lesson.Number}.{record.Number} {Markup.Escape(record.Step.Title)}[/]");
        console.MarkupLine(Markup.Escape(record.Step.WhatHappens.Replace("`", "", StringComparison.Ordinal)));
        var verdict = record.Refused ? (record.AsTaught ? "[yellow]refused, as it should be[/]" : "[red]refused, which the lesson did not expect[/]")
            : record.AsTaught ? "[green]done[/]" : "[red]succeeded, which the lesson did not expect[/]";
        console.MarkupLine($"{verdict}: {Markup.Escape(record.Result)}");
        console.Write(Calls(record.Events));
        if (record.Grants.Count > 0)
        {
            console.Write(Grants(record.Grants));
        }

        console.MarkupLine($"[italic]Why it matters:[/] {Markup.Escape(record.Step.WhyItMatters)}");
    }

    public static IRenderable Calls(IReadOnlyList<Audit.AuditEvent> events)
    {
        var kms = events.Where(e => e.EventSource == Audit.AuditEvent.KmsEventSource).ToArray();
        if (kms.Length == 0)
        {
            return new Markup("[grey]No KMS call.[/]\n");
        }

        var table = new Table().Title("KMS calls, as the audit trail records them").Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("Call").NoWrap()).AddColumn("By").AddColumn("Key").AddColumn("Carries");
        foreach (var e in kms)
        {
            var result = e.ErrorCode is null ? "[green]OK[/]" : $"[red]{Markup.Escape(e.ErrorCode)}[/]";
            var carries = string.Join("\n", new[] { AuditEventFormat.Context(e), AuditEventFormat.Details(e) }.Where(t => t.Length > 0));
            table.AddRow(
                $"{Markup.Escape(e.EventName)}\n{result}",
                Markup.Escape(AuditEventFormat.Caller(e)),
                Markup.Escape(AuditEventFormat.Resource(e)),
                Markup.Escape(carries));
        }

        return table;
    }

    public static IRenderable Grants(IReadOnlyList<GrantRecord> grants)
    {
        var table = new Table().Title("Grants for this lesson's repositories").Border(TableBorder.Rounded)
            .AddColumn("Grant").AddColumn("Grantee").AddColumn("Operations").AddColumn("Constraint").AddColumn("State");
        foreach (var record in grants)
        {
            var grant = record.Grant;
            table.AddRow(
                Markup.Escape(AuditEventFormat.ShortId(grant.GrantId)),
                Markup.Escape(AuditEventFormat.GranteeAndRetiring(grant)),
                Markup.Escape(string.Join(", ", grant.Operations)),
                Markup.Escape(grant.Constraints is { } c ? AuditEventFormat.Constraint(c) : ""),
                record.Status == GrantStatus.Active ? "[green]Active[/]" : $"[grey]{record.Status}[/]");
        }

        return table;
    }
}
