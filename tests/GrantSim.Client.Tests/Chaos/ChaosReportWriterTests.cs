using System.Text.Json;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;

namespace GrantSim.Client.Tests.Chaos;

/// <summary>report.json holds every figure; report.html is one page that embeds them safely and loads nothing from elsewhere.</summary>
public sealed class ChaosReportWriterTests : IDisposable
{
    private const string Hostile = "</script><script>alert(1)</script><!-- & -->";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"grantsim-report-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task WriteAsync_CreatesTheDirectory_AndWritesReportJsonAndReportHtml()
    {
        await ChaosReportWriter.WriteAsync(SampleReport(), _directory);

        Assert.True(File.Exists(Path.Combine(_directory, "report.json")));
        Assert.True(File.Exists(Path.Combine(_directory, "report.html")));
    }

    [Fact]
    public async Task ReportJson_RoundTripsTheFigures_CamelCase()
    {
        var report = SampleReport();
        await ChaosReportWriter.WriteAsync(report, _directory);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "report.json")));
        var root = document.RootElement;
        Assert.Equal(42, root.GetProperty("seed").GetInt32());
        Assert.Equal("embedded", root.GetProperty("target").GetString());
        Assert.False(root.GetProperty("passed").GetBoolean());
        var scenario = root.GetProperty("scenarios")[0];
        Assert.Equal(1, scenario.GetProperty("counts").GetProperty("pushesLost").GetInt32());
        Assert.Equal(0, scenario.GetProperty("counts").GetProperty("grantsLeaked").GetInt64());
        Assert.Equal("silo 2 killed", scenario.GetProperty("faultWindows")[0].GetProperty("label").GetString());
        Assert.Equal(12.5, scenario.GetProperty("faultWindows")[0].GetProperty("endSecond").GetDouble());
        Assert.Equal(37.5, scenario.GetProperty("phases")[1].GetProperty("operationsPerSecond").GetDouble());
        Assert.Equal(3, scenario.GetProperty("timeline")[2].GetProperty("unknown").GetInt32());
        Assert.Equal(7, scenario.GetProperty("grantStates")[1].GetProperty("active").GetInt64());
        Assert.Equal(2, scenario.GetProperty("operationsByKind").GetProperty("push").GetProperty("ThrottlingException").GetInt32());
        Assert.Equal("every pull after a revoke fails", scenario.GetProperty("checks")[0].GetProperty("name").GetString());
        Assert.False(scenario.GetProperty("invariants")[0].GetProperty("held").GetBoolean());
        Assert.Equal(ChaosReportWriter.ToJson(report), await File.ReadAllTextAsync(Path.Combine(_directory, "report.json")));
    }

    [Fact]
    public async Task ReportHtml_EmbedsTheJson_SoThatNoStringCanEndTheScriptElement()
    {
        await ChaosReportWriter.WriteAsync(SampleReport(), _directory);

        var html = await File.ReadAllTextAsync(Path.Combine(_directory, "report.html"));
        Assert.DoesNotContain("alert(1)</script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<!-- & -->", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/*REPORT_DATA*/", html, StringComparison.Ordinal);

        // The embedded data is exactly the report's JSON: parsed back, the hostile description comes out as it went in.
        const string open = "<script type=\"application/json\" id=\"report-data\">";
        var start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        Assert.True(start > open.Length && end > start, "the report-data element is there");
        using var embedded = JsonDocument.Parse(html[start..end]);
        Assert.Equal(Hostile, embedded.RootElement.GetProperty("scenarios")[0].GetProperty("description").GetString());
        Assert.Equal(1, embedded.RootElement.GetProperty("scenarios")[0].GetProperty("counts").GetProperty("pushesLost").GetInt32());
    }

    [Fact]
    public void ReportHtml_IsSelfContained_ReferencingNothingExternal()
    {
        var html = ChaosReportWriter.ToHtml(SampleReport());

        foreach (var external in new[] { "src=\"http", "href=\"http", "src='http", "href='http", "@import", "url(", "<link", "<script src", "//cdn", "fetch(", "XMLHttpRequest" })
        {
            Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("<style>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"report-data\"", html, StringComparison.Ordinal);
        Assert.Contains("chartsDrawn", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_AReportWithNothingInIt_StillWritesBothFiles()
    {
        var empty = new ChaosReport(1, "embedded", DateTimeOffset.UnixEpoch, 0, []);

        await ChaosReportWriter.WriteAsync(empty, _directory);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "report.json")));
        Assert.Equal(0, document.RootElement.GetProperty("scenarios").GetArrayLength());
        Assert.True(document.RootElement.GetProperty("passed").GetBoolean());
        Assert.Contains("id=\"report-data\"", await File.ReadAllTextAsync(Path.Combine(_directory, "report.html")), StringComparison.Ordinal);
    }

    private static ChaosReport SampleReport()
    {
        var scenario = new ScenarioReport(
            Name: "silo-crash",
            Description: Hostile,
            Seed: 42,
            Accounts: ["111122220001", "111122220002"],
            Regions: ["us-east-1", "us-gov-west-1"],
            Operations: 640,
            ElapsedSeconds: 30.2,
            OperationsByKind: new Dictionary<string, IReadOnlyDictionary<string, int>>
            {
                ["push"] = new Dictionary<string, int> { ["OK"] = 200, ["ThrottlingException"] = 2 },
                ["pull"] = new Dictionary<string, int> { ["OK"] = 400, ["Unknown(TimeoutException)"] = 3 },
            },
            ErrorsByException: new Dictionary<string, int> { ["ThrottlingException"] = 2, ["Unknown(TimeoutException)"] = 3 },
            InjectedFaults: new Dictionary<string, int> { ["Throttling"] = 2 },
            FaultWindows: [new FaultWindow("silo 2 killed", 10, 12.5), new FaultWindow("KMS throttling", 20, 20)],
            Timeline: [new TimelineSecond(0, 20, 0, 0), new TimelineSecond(1, 22, 1, 0), new TimelineSecond(2, 5, 0, 3)],
            GrantStates: [new GrantStateSample(0, 0, 0, 0, 0), new GrantStateSample(2, 8, 7, 1, 0)],
            Phases:
            [
                new PhaseFigures("before", 200, 10, 20, 0, 1.2, 4.5, 0),
                new PhaseFigures("during", 75, 2, 37.5, 0.04, 3.1, 50.2, 6),
            ],
            Counts: new ChaosCounts(120, 118, 1, 8, 7, 1, 0, 0, 0, 2),
            Checks: [new ScenarioCheck("every pull after a revoke fails", true, 12, [])],
            Invariants: [new InvariantResult(6, "acknowledged pushes can be pulled", false, 120, ["repo-a@sha256:abc is gone"])]);
        return new ChaosReport(42, "embedded", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), 31.4, [scenario]);
    }
}
