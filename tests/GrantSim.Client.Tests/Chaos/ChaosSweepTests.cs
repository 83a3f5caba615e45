using System.Text.Json;
using GrantSim.Client.Chaos;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Commands;
using GrantSim.Client.Hosting;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace GrantSim.Client.Tests.Chaos;

public sealed class ChaosSweepTests
{
    [Theory]
    [InlineData("1..3", new[] { 1, 2, 3 })]
    [InlineData("5-7", new[] { 5, 6, 7 })]
    [InlineData("1,4, 9", new[] { 1, 4, 9 })]
    [InlineData("1..2,2..3", new[] { 1, 2, 3 })]
    public void ParseSeeds_ReadsRangesAndLists(string text, int[] seeds) => Assert.Equal(seeds, ChaosSweep.ParseSeeds(text));

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("9..1")]
    [InlineData("1..")]
    public void ParseSeeds_RefusesWhatIsNotASeedList(string text) => Assert.Null(ChaosSweep.ParseSeeds(text));

    [Fact]
    public async Task ASweep_OverAProductThatLosesPushes_FailsThatSeed_WritesItsReport_AndShowsTheShortestUnexplainableHistory()
    {
        // A planted bug, as a grain call filter: one PutImage in three answers as if stored, and stores nothing.
        var directory = Path.Combine(Path.GetTempPath(), $"grantsim-sweep-{Guid.NewGuid():N}");
        var options = new ChaosOptions { Operations = 60, Tenants = 2, FirstAccount = 333344440001 };
        var sweep = new ChaosSweep(
            async token => await EmbeddedCluster.StartAsync(ChaosCommand.EmbeddedSilos, token,
                configureHost: host => host.Services.AddSingleton<IIncomingGrainCallFilter>(new PushLoser(every: 3))),
            options, "kms-throttle", directory);

        var summary = await sweep.RunAsync([11], (_, _) => { });

        try
        {
            var row = Assert.Single(summary.Rows);
            Assert.False(row.Passed);
            Assert.True(row.NotLinearizable > 0, "the history check finds the lost push");
            Assert.Contains(row.Broke, b => b.StartsWith("invariant 10:", StringComparison.Ordinal) && b.Contains("PushImage(", StringComparison.Ordinal));
            Assert.False(summary.Passed);

            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "seed-11", ChaosReportWriter.JsonFileName)));
            var history = report.RootElement.GetProperty("scenarios")[0].GetProperty("history");
            Assert.True(history.GetProperty("entries").GetArrayLength() > 0);
            Assert.True(history.GetProperty("notLinearizable").GetInt32() > 0);
            Assert.True(File.Exists(Path.Combine(directory, ChaosSweep.SummaryFileName)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ASweep_OfAHealthyProduct_PassesEverySeed()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"grantsim-sweep-{Guid.NewGuid():N}");
        var sweep = new ChaosSweep(async token => await EmbeddedCluster.StartAsync(ChaosCommand.EmbeddedSilos, token),
            new ChaosOptions { Operations = 40, Tenants = 2, FirstAccount = 333355550001 }, "retire-denied", directory);

        var summary = await sweep.RunAsync([1, 2], (_, _) => { });

        Assert.True(summary.Passed, string.Join(Environment.NewLine, summary.Rows.SelectMany(r => r.Broke)));
        Assert.Equal(2, summary.Runs);
        Assert.False(Directory.Exists(Path.Combine(directory, "seed-1")), "only failing seeds get a report");
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Answers every n-th PutImage with what a stored image would answer, without storing it.</summary>
    private sealed class PushLoser(int every) : IIncomingGrainCallFilter
    {
        private int _puts;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod.DeclaringType == typeof(IRepositoryGrain) && context.InterfaceMethod.Name == nameof(IRepositoryGrain.PutImage)
                && Interlocked.Increment(ref _puts) % every == 0)
            {
                var manifest = (byte[])context.Request.GetArgument(1)!;
                var tag = (string?)context.Request.GetArgument(3);
                context.Result = new ImageDetail(ContentDigest.Sha256(manifest), tag is null ? [] : [tag], manifest.LongLength, DateTimeOffset.UnixEpoch,
                    (string)context.Request.GetArgument(2)!, [], "");
                return;
            }

            await context.Invoke();
        }
    }
}
