using System.Text.Json;
using System.Text.Json.Serialization;
using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

/// <summary>The default command: a seeded multi-tenant run on an embedded silo, then the summary and every invariant checked.</summary>
public sealed class SimulateCommand(IAnsiConsole console) : AsyncCommand<SimulateSettings>
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public override async Task<int> ExecuteAsync(CommandContext context, SimulateSettings settings, CancellationToken cancellationToken)
    {
        var options = new SimulationOptions { Tenants = settings.Tenants, Operations = settings.Operations, Seed = settings.Seed, FirstAccount = settings.FirstAccount };
        options.Validate();
        await using IGrantSimConnection cluster = settings.Cluster
            ? await ClusterConnection.ConnectAsync(settings.ClientOptions(), cancellationToken)
            : await EmbeddedCluster.StartAsync(cancellationToken: cancellationToken, telemetry: settings.ClientOptions().Telemetry);
        console.MarkupLine($"[bold]GrantSim[/] on {Markup.Escape(cluster.Description)}: {options.Tenants} tenants in {string.Join(", ", options.Regions)}, {options.Operations} operations, seed {options.Seed}");

        var (summary, settled) = await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("operations", maxValue: options.Operations);
                return await SimulationSession.RunAsync(cluster, options, done => task.Value = done, cancellationToken);
            });
        if (settled > 0)
        {
            console.MarkupLine($"Finished {settled} create(s) or delete(s) that a crash had interrupted.");
        }

        SummaryView.Render(console, summary);
        if (settings.Json is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, JsonOptions), cancellationToken);
            console.MarkupLine($"Summary written to [blue]{Markup.Escape(path)}[/]");
        }

        return summary.AllInvariantsHeld ? 0 : 1;
    }
}
