using GrantSim.Client.Bench;
using GrantSim.Client.Hosting;

namespace GrantSim.Client.Tests.Bench;

/// <summary>The benchmark works end to end on a tiny setting (its figures are meaningless here: speed is measured by the bench command, never asserted in a test).</summary>
public sealed class BenchRunnerTests
{
    [Fact]
    public async Task QuickRun_MeasuresEveryPart_AndComputesEveryRatio()
    {
        await using var cluster = await EmbeddedCluster.StartAsync();
        var report = await new BenchRunner(cluster.Client, BenchOptions.Quick, _ => { }).RunAsync();

        foreach (var name in new[]
        {
            "grain call, concurrency 64", "GenerateDataKey via grant, one key, concurrency 64", "Decrypt via grant, 64 keys, concurrency 1",
            "push of 1 MiB layers", "pull of 1 MiB layers", "raw AES-256-GCM seal of 1 MiB", "scale: ListGrants page of 100, p99",
            "scale: repositories created per second, first 10%", "scale: repositories created per second, last 10%",
        })
        {
            var figure = Assert.Single(report.Figures, f => f.Name == name);
            Assert.True(figure.Median > 0, $"{name} measured nothing");
            Assert.True(figure.Low <= figure.Median && figure.Median <= figure.High);
        }

        Assert.Equal(200, Assert.Single(report.Figures, f => f.Name == "scale: grants listed on the big key (all pages)").Median);
        Assert.Equal(9, report.Ratios.Count);
        Assert.All(report.Ratios, r => Assert.True(r.Value > 0, r.Name));
    }

    [Fact]
    public void Figure_IsTheMedianWithTheSpread()
    {
        var figure = Figure.Of("x", "calls/s", [5, 1, 3, 2]);

        Assert.Equal(2.5, figure.Median);
        Assert.Equal(1, figure.Low);
        Assert.Equal(5, figure.High);
    }
}
