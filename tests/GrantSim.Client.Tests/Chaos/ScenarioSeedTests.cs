using GrantSim.Client.Chaos;

namespace GrantSim.Client.Tests.Chaos;

/// <summary>A seed replayed in another process makes the same choices: the scenario's seed is not a per-process hash.</summary>
public sealed class ScenarioSeedTests
{
    [Theory]
    [InlineData(7, "silo-crash", -1977616388)]
    [InlineData(1001, "kms-throttle", 1893085716)]
    public void AScenariosSeed_IsTheSameInEveryProcess(int seed, string scenario, int expected) =>
        // Fixed values: HashCode.Combine and string.GetHashCode would give another number in each process.
        Assert.Equal(expected, ScenarioContext.SeedFor(seed, scenario));

    [Fact]
    public void ScenariosOfOneRun_AndRunsOfOneScenario_GetDifferentSeeds()
    {
        Assert.NotEqual(ScenarioContext.SeedFor(7, "silo-crash"), ScenarioContext.SeedFor(7, "kms-throttle"));
        Assert.NotEqual(ScenarioContext.SeedFor(7, "silo-crash"), ScenarioContext.SeedFor(8, "silo-crash"));
    }
}
