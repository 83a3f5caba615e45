using GrantSim.Client.Chaos;
using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Commands;
using GrantSim.Client.Simulation;

namespace GrantSim.Client.Tests.Chaos;

public sealed class ScenarioFiguresTests
{
    private static readonly OperationSample[] Samples =
    [
        new(0.1, OperationKinds.PushImage, OperationKinds.Ok, 10),
        new(0.5, OperationKinds.PushImage, OperationKinds.Ok, 20),
        new(1.2, OperationKinds.PushImage, "KmsException(ThrottlingException)", 90),
        new(1.5, OperationKinds.PullImage, OperationKinds.Ok, 30),
        new(2.5, OperationKinds.PullImage, OperationKinds.Ok, 5),
    ];

    [Fact]
    public void Phases_SplitBeforeDuringAndAfterAWindow_WithRatesLatenciesAndRetries()
    {
        var phases = ScenarioFigures.Phases(Samples, retries: [1.25, 1.3, 2.6], [new FaultWindow("KMS throttling", 1.0, 2.0)], elapsedSeconds: 3.0);

        Assert.Equal(["before the faults", "during: KMS throttling", "after the faults"], phases.Select(p => p.Phase));
        var during = phases[1];
        Assert.Equal(2, during.Operations);
        Assert.Equal(2.0, during.OperationsPerSecond);
        Assert.Equal(0.5, during.ErrorRate);
        Assert.Equal(30, during.LatencyP50Milliseconds);
        Assert.Equal(90, during.LatencyP95Milliseconds);
        Assert.Equal(2, during.Retries);
        Assert.Equal(1, phases[2].Retries);
        Assert.Equal(2, phases[0].Operations);
        Assert.Equal(0, phases[0].ErrorRate);
    }

    [Fact]
    public void Phases_WithoutFaults_AreTheWholeRun()
    {
        var phase = Assert.Single(ScenarioFigures.Phases(Samples, [], [], elapsedSeconds: 2.5));

        Assert.Equal("whole run", phase.Phase);
        Assert.Equal(5, phase.Operations);
        Assert.Equal(2.0, phase.OperationsPerSecond);
    }

    [Theory]
    [InlineData(new double[] { }, 0.5, 0)]
    [InlineData(new double[] { 7 }, 0.95, 7)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.5, 2)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.95, 4)]
    public void Percentile_IsTheNearestRank(double[] sorted, double quantile, double expected) =>
        Assert.Equal(expected, ScenarioFigures.Percentile(sorted, quantile));

    [Fact]
    public void ErrorsByException_CountsEachExceptionOfARaceOnce()
    {
        OperationSample[] samples =
        [
            new(0, OperationKinds.ConcurrentDeleteAndPush, "delete OK, push RepositoryNotFoundException", 1),
            new(0, OperationKinds.ConcurrentCreate, "OK + RepositoryAlreadyExistsException", 1),
            new(0, OperationKinds.PullImage, "KmsException(AccessDeniedException)", 1),
            new(0, OperationKinds.PushImage, "Unknown(SiloUnavailableException)", 1),
            new(0, OperationKinds.PushImage, OperationKinds.Ok, 1),
        ];

        var errors = ScenarioFigures.ErrorsByException(samples);

        Assert.Equal(
            new Dictionary<string, int>
            {
                ["KmsException(AccessDeniedException)"] = 1,
                ["RepositoryAlreadyExistsException"] = 1,
                ["RepositoryNotFoundException"] = 1,
                ["Unknown(SiloUnavailableException)"] = 1,
            },
            errors);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1.5h", 5400)]
    public void Duration_ReadsSecondsMinutesAndHours(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ChaosSettings.ParseDuration(text));

    [Theory]
    [InlineData("90")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("5d")]
    public void Duration_RefusesWhatIsNotOne(string text) => Assert.Null(ChaosSettings.ParseDuration(text));

    [Fact]
    public void Settings_NameTheScenariosWhenOneIsUnknown()
    {
        var result = new ChaosSettings { Scenario = "meteor-strike" }.Validate();

        Assert.False(result.Successful);
        Assert.Contains("silo-crash", result.Message, StringComparison.Ordinal);
        Assert.Contains("all", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalogue_GivesEveryScenarioItsOwnAccounts_AndAllRunsThemInOrder()
    {
        var all = ScenarioCatalogue.Select(ScenarioCatalogue.All);
        var options = new ChaosOptions { Tenants = ChaosOptions.MaxTenants };

        Assert.Equal(7, all.Count);
        Assert.Equal(["silo-crash", "kms-throttle", "kms-outage", "revoke-storm", "retire-denied", "key-deletion", "propagation"], all.Select(s => s.Name));
        // Each scenario declares its block; no two share one, so no two share a tenant, whatever the order.
        Assert.Equal(all.Count, all.Select(s => s.AccountBlock).Distinct().Count());
        Assert.All(all, s => Assert.True(s.AccountBlock >= 0, s.Name));
        var blocks = all.Select(options.FirstAccountOf).Order().ToArray();
        Assert.All(blocks.Zip(blocks.Skip(1)), pair => Assert.True(pair.Second - pair.First >= options.Tenants));
        Assert.Throws<ArgumentException>(() => ScenarioCatalogue.Select("nope"));
    }
}
