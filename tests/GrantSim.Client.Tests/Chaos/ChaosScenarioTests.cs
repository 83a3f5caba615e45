using GrantSim.Client.Chaos;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Hosting;

namespace GrantSim.Client.Tests.Chaos;

/// <summary>Every scenario, on a small setting, on three embedded silos: it runs to its end, its own checks and every invariant hold, nothing is lost or leaked.</summary>
[Collection(ChaosClusterCollection.Name)]
public sealed class ChaosScenarioTests(ChaosClusterFixture fixture)
{
    public static TheoryData<string> ScenarioNames => new(ScenarioCatalogue.Scenarios.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario_OnASmallSetting_LosesNothing_LeaksNothing_AndKeepsEveryPromise(string name)
    {
        // Accounts of this test class only: 700000000001 + 50 per scenario.
        var options = new ChaosOptions { Seed = 7, Tenants = 2, Operations = 80, FirstAccount = 700_000_000_001 };
        var scenario = ScenarioCatalogue.Select(name).Single();

        var report = await new ChaosHarness(fixture.Cluster, options).RunAsync(new ScenarioProgress(scenario));

        Assert.True(report.Passed, Failures(report));
        Assert.Equal(0, report.Counts.PushesLost);
        Assert.Equal(0, report.Counts.GrantsLeaked);
        Assert.Contains(report.Checks, c => c.Name == "The scenario ran to its end" && c.Held);
        Assert.True(report.Checks.Count >= 2, "the scenario recorded no check of its own");
        Assert.NotEmpty(report.InjectedFaults);
        Assert.Equal(15, report.Invariants.Count);
        Assert.True(report.Operations >= 0.75 * options.Operations, $"{report.Operations} operations of a budget of {options.Operations}");
        Assert.NotEmpty(report.Phases);
        Assert.NotEmpty(report.GrantStates);
        Assert.All(report.Accounts, account => Assert.StartsWith("7000000", account, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SiloCrash_KillsAndRestartsSilos_AndTheClusterHasAllOfThemAfterwards()
    {
        var options = new ChaosOptions { Seed = 3, Tenants = 1, Operations = 60, FirstAccount = 710_000_000_001 };
        var scenario = ScenarioCatalogue.Select("silo-crash").Single();

        var report = await new ChaosHarness(fixture.Cluster, options).RunAsync(new ScenarioProgress(scenario));

        Assert.True(report.Passed, Failures(report));
        Assert.Equal(2, report.InjectedFaults["silo killed"]);
        Assert.Equal(2, report.InjectedFaults["silo restarted"]);
        Assert.Equal(2, report.FaultWindows.Count);
        Assert.All(report.FaultWindows, w => Assert.True(w.EndSecond >= w.StartSecond));
        Assert.Equal(ChaosCommandSilos, report.Figures!["active silos after the restarts"]);
    }

    [Fact]
    public async Task RevokeStorm_JudgesPullsOnBothSidesOfTheRevokes()
    {
        var options = new ChaosOptions { Seed = 5, Tenants = 2, Operations = 100, FirstAccount = 720_000_000_001 };
        var scenario = ScenarioCatalogue.Select("revoke-storm").Single();

        var report = await new ChaosHarness(fixture.Cluster, options).RunAsync(new ScenarioProgress(scenario));

        Assert.True(report.Passed, Failures(report));
        Assert.True(report.Figures!["pulls before their repository's revoke (all succeeded)"] > 0);
        Assert.True(report.Figures["pulls after their repository's revoke (all failed)"] > 0);
        Assert.True(report.Counts.GrantsRevoked > 0);
    }

    [Fact]
    public async Task KmsThrottle_WithTheSameSeed_ReplaysTheSameOperationsOutcomesAndFaults()
    {
        // Two fresh clusters, the same accounts and seed: the same calls, failing in the same places.
        var options = new ChaosOptions { Seed = 11, Tenants = 2, Operations = 80, FirstAccount = 730_000_000_001 };
        var scenario = ScenarioCatalogue.Select("kms-throttle").Single();
        var runs = new List<ScenarioReport>();
        for (var run = 0; run < 2; run++)
        {
            await using var cluster = await EmbeddedCluster.StartAsync(silos: 1);
            runs.Add(await new ChaosHarness(cluster, options).RunAsync(new ScenarioProgress(scenario)));
        }

        Assert.True(runs[0].Passed, Failures(runs[0]));
        Assert.True(runs[0].InjectedFaults.GetValueOrDefault("KMS ThrottlingException") > 0, "nothing was throttled");
        Assert.Equal(Outcomes(runs[0]), Outcomes(runs[1]));
        Assert.Equal(runs[0].InjectedFaults, runs[1].InjectedFaults);
        Assert.Equal(runs[0].Counts with { }, runs[1].Counts);
    }

    private const double ChaosCommandSilos = GrantSim.Client.Commands.ChaosCommand.EmbeddedSilos;

    private static IEnumerable<string> Outcomes(ScenarioReport report) =>
        report.OperationsByKind.SelectMany(k => k.Value.Select(o => $"{k.Key}/{o.Key}={o.Value}"));

    private static string Failures(ScenarioReport report) =>
        string.Join("\n", report.Checks.Where(c => !c.Held).Select(c => $"{c.Name}: {string.Join("; ", c.Violations)}")
            .Concat(report.Invariants.Where(i => !i.Held).Select(i => $"invariant {i.Number}: {string.Join("; ", i.Violations)}"))
            .Append($"lost {report.Counts.PushesLost}, leaked {report.Counts.GrantsLeaked}"));
}
