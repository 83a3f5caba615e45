using System.Diagnostics;
using GrantSim.Model.Tests.Runner;
using Xunit.Abstractions;

namespace GrantSim.Model.Tests.Support;

/// <summary>Runs a property and prints how many commands it ran and how fast.</summary>
public static class Measure
{
    public static async Task RunAsync(ITestOutputHelper output, string name, Action check)
    {
        var before = ScenarioRunner.CommandsRun;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await Task.Run(check);
        }
        finally
        {
            var commands = ScenarioRunner.CommandsRun - before;
            output.WriteLine($"{name}: {commands} commands in {stopwatch.Elapsed.TotalSeconds:0.0} s ({commands / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001):0.0} commands/s)");
        }
    }
}
