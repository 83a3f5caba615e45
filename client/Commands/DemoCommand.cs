using GrantSim.Client.Demo;
using GrantSim.Client.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

/// <summary>
/// <c>demo</c>: a narrated walk through the ECR and KMS grant lifecycle on an embedded silo, one
/// step at a time, showing every KMS call as the audit trail records it and the grants it leaves.
/// </summary>
public sealed class DemoCommand(IAnsiConsole console) : AsyncCommand<DemoSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var lessons = DemoRunner.Select(settings.Lesson);
        await using var cluster = await EmbeddedCluster.StartAsync(cancellationToken: cancellationToken, telemetry: settings.ClientOptions().Telemetry);
        var session = await DemoSession.StartAsync(cluster.Client, new ClusterClock(cluster.Client));
        var runner = new DemoRunner(session);
        var pause = !settings.NoPause && console.Profile.Capabilities.Interactive && !Console.IsInputRedirected;

        console.Write(new Rule("[bold]GrantSim: how Amazon ECR uses AWS KMS[/]"));
        console.MarkupLine($"One tenant, account [bold]{session.Account}[/], in {session.Region} (and eu-west-1, us-gov-west-1). Its roles: "
            + "[bold]admin[/] (everything), [bold]ci[/] (ECR, and kms:CreateGrant, kms:RetireGrant), [bold]deployer[/] (ECR, but not kms:RetireGrant), "
            + "[bold]reader[/] (pulls). The key [bold]alias/team-0[/] is a customer managed key. Every KMS call below is read back from the simulated audit trail.");
        if (!pause && !settings.NoPause)
        {
            console.MarkupLine("[grey](Not a terminal: running straight through.)[/]");
        }

        var records = new List<StepRecord>();
        foreach (var lesson in lessons)
        {
            session.BeginLesson();
            DemoView.Lesson(console, lesson);
            for (var number = 1; number <= lesson.Steps.Count; number++)
            {
                if (pause)
                {
                    console.Markup("[grey]Press a key for the next step…[/]");
                    await console.Input.ReadKeyAsync(intercept: true, cancellationToken);
                    console.WriteLine();
                }

                var record = await runner.RunStepAsync(lesson, number);
                records.Add(record);
                DemoView.Step(console, record);
            }
        }

        console.WriteLine();
        var unexpected = records.Where(r => !r.AsTaught).ToArray();
        console.MarkupLine(unexpected.Length == 0
            ? $"[green]{records.Count} steps in {lessons.Count} lesson(s), each as the lesson says.[/]"
            : $"[red]{unexpected.Length} step(s) did not go as the lesson says:[/] {Markup.Escape(string.Join(", ", unexpected.Select(r => $"{r.Lesson.Number}.{r.Number}")))}");
        if (settings.Markdown is { } path)
        {
            await File.WriteAllTextAsync(path, WalkthroughWriter.Write(records, cluster.Description), cancellationToken);
            console.MarkupLine($"Walkthrough written to [blue]{Markup.Escape(path)}[/]");
        }

        return unexpected.Length == 0 ? 0 : 1;
    }
}
