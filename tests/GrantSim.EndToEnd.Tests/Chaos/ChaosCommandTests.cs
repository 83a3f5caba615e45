using System.Text.Json;
using System.Text.RegularExpressions;
using GrantSim.Client.Chaos;
using GrantSim.Client.Chaos.Reports;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace GrantSim.EndToEnd.Tests.Chaos;

/// <summary>
/// <c>chaos --scenario all</c> as a user runs it: a real client process on its three embedded
/// silos, every scenario green, report.json with every figure, and report.html drawing every chart
/// in headless Chromium.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ChaosCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"grantsim-chaos-e2e-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ChaosAll_AsAProcess_PassesEveryScenario_AndItsReportDrawsEveryChartInChromium()
    {
        var chromium = ExternalProgram.Require("chromium", "chromium");
        var reportDirectory = Path.Combine(_directory, "report");
        using var client = ManagedProcess.Start("chaos", "dotnet",
            [Repository.ClientDll, "chaos", "--scenario", "all", "--seed", "7", "--operations", "60", "--tenants", "2", "--first-account", "810000000001", "--report", reportDirectory],
            new Dictionary<string, string> { ["NO_COLOR"] = "1" });

        var exitCode = await client.WaitForExitAsync(TimeSpan.FromMinutes(5));
        output.WriteLine(client.Tail(12));
        Assert.True(exitCode == 0, $"chaos exited {exitCode}:{Environment.NewLine}{client.Tail(80)}");
        Assert.Contains($"All {ScenarioCatalogue.Scenarios.Count} scenario(s) passed: 0 pushes lost, 0 grants leaked", client.Output, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reportDirectory, ChaosReportWriter.JsonFileName)));
        var scenarios = json.RootElement.GetProperty("scenarios").EnumerateArray().ToArray();
        Assert.Equal(ScenarioCatalogue.Scenarios.Select(s => s.Name), scenarios.Select(s => s.GetProperty("name").GetString()));
        Assert.All(scenarios, s =>
        {
            Assert.Equal(0, s.GetProperty("counts").GetProperty("pushesLost").GetInt32());
            Assert.Equal(0, s.GetProperty("counts").GetProperty("grantsLeaked").GetInt64());
            Assert.True(s.GetProperty("passed").GetBoolean());
            Assert.NotEmpty(s.GetProperty("timeline").EnumerateArray());
        });

        var page = new Uri(Path.Combine(reportDirectory, ChaosReportWriter.HtmlFileName)).AbsoluteUri;
        var (browserExit, dom, errors) = await HeadlessChromium.RunAsync(chromium, Path.Combine(_directory, "profile"), "--virtual-time-budget=5000", "--dump-dom", page);
        Assert.True(browserExit == 0, $"chromium exited {browserExit}: {errors}");
        var body = BodyTag().Match(dom).Value;
        Assert.DoesNotContain("data-chart-error", body, StringComparison.Ordinal);
        Assert.Contains("data-charts-drawn=\"14\"", body, StringComparison.Ordinal);
        Assert.Contains("silo 1 down", dom, StringComparison.Ordinal);
        Assert.Contains("KMS unavailable", dom, StringComparison.Ordinal);
    }

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();
}
