using System.Text.RegularExpressions;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Invariants;
using GrantSim.Client.Simulation;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace GrantSim.EndToEnd.Tests.Chaos;

/// <summary>
/// report.html as a person sees it: opened from disk in headless Chromium (no network, no server), its script
/// draws every chart without an error, and a screenshot of the page has something in it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ReportRendersInBrowserTests(ITestOutputHelper output) : IDisposable
{

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"grantsim-report-e2e-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ReportHtml_InHeadlessChromium_DrawsEveryChart_WithoutAnError()
    {
        var chromium = ExternalProgram.Require("chromium", "chromium");
        await ChaosReportWriter.WriteAsync(RealisticReport(), _directory);
        var page = new Uri(Path.Combine(_directory, ChaosReportWriter.HtmlFileName)).AbsoluteUri;

        var (exitCode, dom, errors) = await RunAsync(chromium, "--virtual-time-budget=5000", "--dump-dom", page);

        Assert.True(exitCode == 0, $"chromium exited {exitCode}: {errors}");
        var body = BodyTag().Match(dom);
        Assert.True(body.Success, "the dumped DOM has a body: " + dom[..Math.Min(dom.Length, 400)]);
        Assert.DoesNotContain("data-chart-error", body.Value, StringComparison.Ordinal);
        Assert.Contains("data-charts-drawn=\"4\"", body.Value, StringComparison.Ordinal);

        var charts = ChartSvg().Matches(dom).Select(m => (Tag: m.Groups["tag"].Value, Inside: m.Groups["inside"].Value)).ToArray();
        Assert.Equal(4, charts.Length);
        var series = charts.Select(c => int.Parse(SeriesAttribute().Match(c.Tag).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        output.WriteLine("series drawn per chart: " + string.Join(", ", series));

        // Scenario 1: throughput (OK bars + error-rate line) and grant states (created, active, retired, revoked).
        Assert.True(series[0] >= 2, $"the first throughput chart drew {series[0]} series");
        Assert.True(series[1] >= 2, $"the first grant chart drew {series[1]} series");
        Assert.Contains("<rect class=\"bar-ok\"", charts[0].Inside, StringComparison.Ordinal);
        Assert.Contains("<path class=\"line-err\"", charts[0].Inside, StringComparison.Ordinal);
        Assert.Contains("<polyline class=\"series s-active\"", charts[1].Inside, StringComparison.Ordinal);
        Assert.Contains("<polyline class=\"series s-revoked\"", charts[1].Inside, StringComparison.Ordinal);
        foreach (var chart in charts.Take(2))
        {
            Assert.Contains("<rect class=\"window\"", chart.Inside, StringComparison.Ordinal);
            Assert.Matches("<text class=\"window-label\"[^>]*>silo 2 killed<", chart.Inside);
            Assert.Contains("<line class=\"window\"", chart.Inside, StringComparison.Ordinal); // the zero-length window
        }

        // Scenario 2 has an empty timeline: its throughput chart is axes, the window and "no data"; its grant chart has lines.
        Assert.Equal(0, series[2]);
        Assert.Contains("no data", charts[2].Inside, StringComparison.Ordinal);
        Assert.Matches("<text class=\"window-label\"[^>]*>KMS unavailable<", charts[2].Inside);
        Assert.True(series[3] >= 2, $"the second grant chart drew {series[3]} series");
        Assert.Contains("<polyline", charts[3].Inside, StringComparison.Ordinal);

        Assert.DoesNotContain("NaN", string.Concat(charts.Select(c => c.Tag + c.Inside)), StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge fail big\">FAILED</span>", dom, StringComparison.Ordinal);
        Assert.Contains("alert(1)", dom, StringComparison.Ordinal); // shown as text...
        Assert.DoesNotContain("<script>alert(1)", dom, StringComparison.Ordinal); // ...never run as a script
    }

    [SkippableFact]
    public async Task ReportHtml_InHeadlessChromium_MakesANonTrivialScreenshot()
    {
        var chromium = ExternalProgram.Require("chromium", "chromium");
        await ChaosReportWriter.WriteAsync(RealisticReport(), _directory);
        var page = new Uri(Path.Combine(_directory, ChaosReportWriter.HtmlFileName)).AbsoluteUri;
        var screenshot = Path.Combine(_directory, "report.png");

        var (exitCode, _, errors) = await RunAsync(chromium, "--virtual-time-budget=5000", "--hide-scrollbars",
            "--window-size=1280,2000", $"--screenshot={screenshot}", page);

        Assert.True(exitCode == 0, $"chromium exited {exitCode}: {errors}");
        var png = new FileInfo(screenshot);
        Assert.True(png.Exists, "chromium wrote the screenshot: " + errors);
        Assert.True(png.Length > 10 * 1024, $"the screenshot is {png.Length} bytes, too small to show a drawn report");
        var signature = new byte[8];
        await using (var stream = png.OpenRead())
        {
            await stream.ReadExactlyAsync(signature);
        }

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, signature);
        output.WriteLine($"screenshot: {png.Length} bytes");
        var keep = Environment.GetEnvironmentVariable("GRANTSIM_REPORT_SCREENSHOT");
        if (!string.IsNullOrEmpty(keep))
        {
            File.Copy(screenshot, keep, overwrite: true);
            output.WriteLine($"screenshot copied to {keep}");
        }
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string chromium, params string[] arguments) =>
        HeadlessChromium.RunAsync(chromium, Path.Combine(_directory, "chromium-profile"), arguments);

    /// <summary>Two scenarios as a chaos run makes them: ~30 s of timeline around fault windows, grant samples; the second ran nothing.</summary>
    private static ChaosReport RealisticReport()
    {
        var random = new Random(11);
        var crashWindows = new[]
        {
            new FaultWindow("silo 2 killed", 8, 14.5),
            new FaultWindow("KMS throttling 30 %", 12, 20),
            new FaultWindow("propagation delay", 24, 24),
        };
        var timeline = Enumerable.Range(0, 30).Select(second =>
        {
            var faulty = crashWindows.Any(w => second >= w.StartSecond && second < w.EndSecond);
            return new TimelineSecond(second,
                faulty ? random.Next(6, 16) : random.Next(32, 46),
                faulty ? random.Next(2, 9) : random.Next(0, 2),
                second is >= 8 and < 11 ? random.Next(1, 6) : 0);
        }).ToArray();
        var crash = Scenario(
            "silo-crash",
            "A silo is killed with SIGKILL while images are pushed and pulled. </script><script>alert(1)</script>",
            timeline, Grants(30, random), crashWindows, pushesLost: 1);
        var outage = Scenario(
            "kms-outage",
            "KMS answers nothing for a while; no operation got as far as the timeline.",
            [], Grants(12, random), [new FaultWindow("KMS unavailable", 2, 6)], pushesLost: 0);
        return new ChaosReport(11, "cluster (3 silos, Redis)", new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero), 47.3, [crash, outage]);
    }

    private static GrantStateSample[] Grants(int seconds, Random random)
    {
        var samples = new List<GrantStateSample>();
        long created = 0, active = 0, retired = 0, revoked = 0;
        for (var second = 0; second <= seconds; second += 2)
        {
            var made = random.Next(1, 5);
            created += made;
            active += made;
            var gone = Math.Min(active, random.Next(0, 3));
            active -= gone;
            retired += gone;
            if (second == 16)
            {
                active -= 2;
                revoked += 2;
            }

            samples.Add(new GrantStateSample(second, created, active, retired, revoked));
        }

        return [.. samples];
    }

    private static ScenarioReport Scenario(string name, string description, TimelineSecond[] timeline, GrantStateSample[] grants, FaultWindow[] windows, int pushesLost)
    {
        var ok = timeline.Sum(t => t.Ok);
        var last = grants[^1];
        return new ScenarioReport(
            name, description, 11, ["111122220001", "111122220002", "111122220003"], ["us-east-1", "us-gov-west-1"],
            ok + timeline.Sum(t => t.Errors + t.Unknown), timeline.Length + 0.4,
            new Dictionary<string, IReadOnlyDictionary<string, int>>
            {
                ["push"] = new Dictionary<string, int> { ["OK"] = ok / 3, ["ThrottlingException"] = 5 },
                ["pull"] = new Dictionary<string, int> { ["OK"] = ok - ok / 3, ["Unknown(TimeoutException)"] = 9 },
                ["create-repository"] = new Dictionary<string, int> { ["OK"] = 24 },
            },
            new Dictionary<string, int> { ["ThrottlingException"] = 5, ["Unknown(TimeoutException)"] = 9 },
            new Dictionary<string, int> { ["Throttling"] = 5, ["PropagationDelay"] = 3 },
            windows, timeline, grants,
            [
                new PhaseFigures("before", 310, 8, 38.8, 0.01, 1.4, 6.2, 0),
                new PhaseFigures("during", 240, 12, 20, 0.27, 9.5, 310.4, 41),
                new PhaseFigures("after", 400, 10, 40, 0.005, 1.3, 5.9, 2),
            ],
            new ChaosCounts(ok / 3, ok / 3 - 4, pushesLost, last.Created, last.Active, last.Retired, last.Revoked, 0, 0, 6),
            [new ScenarioCheck("every pull after a revoke fails", true, 14, [])],
            [
                new InvariantResult(1, "a grant is active on one key only", true, 48, []),
                new InvariantResult(6, "acknowledged pushes can be pulled", pushesLost == 0, 120,
                    pushesLost == 0 ? [] : ["111122220001/us-east-1/app@sha256:0f3a is gone"]),
            ]);
    }

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();

    [GeneratedRegex("(?<tag><svg[^>]*class=\"chart-svg\"[^>]*>)(?<inside>.*?)</svg>", RegexOptions.Singleline)]
    private static partial Regex ChartSvg();

    [GeneratedRegex("data-series=\"(\\d+)\"")]
    private static partial Regex SeriesAttribute();
}
