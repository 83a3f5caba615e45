using System.Diagnostics;
using GrantSim.Model.Tests.Runner;
using Xunit.Abstractions;

namespace GrantSim.Model.Tests.Support;

/// <summary>Runs a property and prints how many cases and commands it ran and how fast (docs/performance.md quotes these lines).</summary>
public static class Measure
{
    public static async Task RunAsync(ITestOutputHelper output, string name, Action check)
    {
        var before = ScenarioRunner.CommandsRun;
        var scenariosBefore = ScenarioRunner.ScenariosRun;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await Task.Run(check);
        }
        finally
        {
            var commands = ScenarioRunner.CommandsRun - before;
            var cases = ScenarioRunner.ScenariosRun - scenariosBefore;
            var seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001);
            output.WriteLine(string.Join(Environment.NewLine, ScenarioRunner.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"  {o.Key}: {o.Value}")));
            output.WriteLine($"{name}: {cases} cases, {commands} commands in {seconds:0.0} s on {ModelClusterFixture.Silos} silos ({cases / seconds:0.00} cases/s, {commands / seconds:0.0} commands/s)");
        }
    }
}
