using System.Globalization;
using System.Text.Json;
using GrantSim.Client.Bench;
using GrantSim.Client.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

/// <summary><c>bench</c>: how fast and how big, against the ceilings of the same machine measured in the same run. Run it with <c>-c Release</c>.</summary>
public sealed class BenchCommand(IAnsiConsole console) : AsyncCommand<BenchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BenchSettings settings, CancellationToken cancellationToken)
    {
#if DEBUG
        console.MarkupLine("[yellow]This is a Debug build: run the benchmark with `dotnet run -c Release --project client -- bench` for figures that mean something.[/]");
#endif
        var options = settings.ToOptions();
        await using var cluster = await EmbeddedCluster.StartAsync(cancellationToken: cancellationToken);
        var runner = new BenchRunner(cluster.Client, options, line => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
        BenchReport report;
        try
        {
            report = await runner.RunAsync(cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or Amazon.Runtime.AmazonServiceException && options.Endpoint is { } endpoint)
        {
            // The http part talks to a silo this process does not own: say which and why, not a stack trace.
            console.MarkupLine($"[red]The AWS endpoint {Markup.Escape(endpoint.ToString())} did not answer as a GrantSim silo: {Markup.Escape(error.Message)}[/]");
            return 2;
        }

        var figures = new Table().Title("Figures (median of the runs; spread low–high)").AddColumn("Figure").AddColumn(new TableColumn("Median").RightAligned()).AddColumn("Unit").AddColumn("Spread");
        foreach (var figure in report.Figures)
        {
            figures.AddRow(Markup.Escape(figure.Name), Number(figure.Median), Markup.Escape(figure.Unit), $"{Number(figure.Low)}–{Number(figure.High)}");
        }

        console.Write(figures);
        if (report.Ratios.Count > 0)
        {
            var ratios = new Table().Title("Ratios to the ceilings measured in this run").AddColumn("Ratio").AddColumn(new TableColumn("Value").RightAligned()).AddColumn("Target").AddColumn("Met");
            foreach (var ratio in report.Ratios)
            {
                ratios.AddRow(Markup.Escape(ratio.Name), Number(ratio.Value), $"{(ratio.AtMost ? "≤" : "≥")} {Number(ratio.Target)}", ratio.Met ? "[green]yes[/]" : "[red]no[/]");
            }

            console.Write(ratios);
        }

        if (settings.Json is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, SimulateCommand.JsonOptions), cancellationToken);
            console.MarkupLine($"Figures written to [blue]{Markup.Escape(path)}[/]");
        }

        return 0;
    }

    private static string Number(double value) => value.ToString(value >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture);
}
