using System.Text.Json;
using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Client.Demo;
using GrantSim.Client.Hosting;
using GrantSim.Grains;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

/// <summary><c>trail</c>: the audit trail of an account and region, filtered, as a table or JSON.</summary>
public sealed class TrailCommand(IAnsiConsole console) : AsyncCommand<TrailSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TrailSettings settings, CancellationToken cancellationToken)
    {
        await using IGrantSimConnection cluster = settings.Cluster
            ? await ClusterConnection.ConnectAsync(settings.ClientOptions(), cancellationToken)
            : await EmbeddedCluster.StartAsync(cancellationToken: cancellationToken, telemetry: settings.ClientOptions().Telemetry);
        if (!settings.Cluster)
        {
            // An embedded silo starts empty: give it the demo's history to read.
            var session = await DemoSession.StartAsync(cluster.Client, new ClusterClock(cluster.Client), settings.Account);
            var runner = new DemoRunner(session);
            foreach (var lesson in Lessons.All)
            {
                session.BeginLesson();
                for (var step = 1; step <= lesson.Steps.Count; step++)
                {
                    await runner.RunStepAsync(lesson, step);
                }
            }
        }

        var events = await cluster.Client.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(settings.Account, settings.Region)).Query(Query(settings));
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(events, SimulateCommand.JsonOptions));
            return 0;
        }

        var table = new Table().Title($"Audit trail of {settings.Account} in {settings.Region}: {events.Count} event(s)").Border(TableBorder.Rounded)
            .AddColumn("#").AddColumn(new TableColumn("Call").NoWrap()).AddColumn("By").AddColumn("Resource").AddColumn("Carries");
        foreach (var e in events)
        {
            var result = e.ErrorCode is null ? "[green]OK[/]" : $"[red]{Markup.Escape(e.ErrorCode)}[/]";
            var carries = string.Join("\n", new[] { AuditEventFormat.Context(e), AuditEventFormat.Details(e) }.Where(t => t.Length > 0));
            table.AddRow(
                e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{Markup.Escape($"{(e.EventSource == AuditEvent.KmsEventSource ? "kms" : "ecr")}:{e.EventName}")}\n{result}",
                Markup.Escape(AuditEventFormat.Caller(e)),
                Markup.Escape(AuditEventFormat.Resource(e)),
                Markup.Escape(carries));
        }

        console.Write(table);
        return 0;
    }

    /// <summary>The settings as a trail query; a repository name or key id is made into its ARN in the trail's region.</summary>
    public static AuditQuery Query(TrailSettings settings)
    {
        var resource = settings.Repository is { } repository ? Arn.EcrRepository(settings.Region, settings.Account, repository).ToString()
            : settings.Key is { } key ? (key.StartsWith("arn:", StringComparison.Ordinal) ? key : Arn.KmsKey(settings.Region, settings.Account, key).ToString())
            : null;
        return new AuditQuery(EventName: settings.Event, Resource: resource, ErrorsOnly: settings.ErrorsOnly);
    }
}
