using GrantSim.Model.Tests.Commands;
using GrantSim.Model.Tests.Runner;
using GrantSim.Model.Tests.Support;
using Xunit.Abstractions;

namespace GrantSim.Model.Tests.Properties;

[Collection(ModelClusterCollection.Name)]
public sealed class ConcurrentProperties(ModelClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task ConcurrentBranches_AreExplainedBySomeSequentialOrderOfTheModel()
    {
        var runner = new ScenarioRunner(fixture);
        var property = Prop.ForAll(Generators.ConcurrentScenarios(maxPrefix: 10), scenario => SequentialProperties.Block(runner.RunConcurrentAsync(scenario)));

        await Measure.RunAsync(output, nameof(ConcurrentBranches_AreExplainedBySomeSequentialOrderOfTheModel), () => Check.One(PropertyRuns.Config(100, fixedSeed: 20261130), property));
    }

    /// <summary>Racing first creates make exactly one AWS managed key, and one winner per name.</summary>
    [Fact]
    public async Task RacingFirstCreates_MakeOneManagedKey_AndOneRepositoryPerName()
    {
        var runner = new ScenarioRunner(fixture);
        var property = Prop.ForAll(Generators.CreateRaces, scenario => SequentialProperties.Block(runner.RunConcurrentAsync(scenario)));

        await Measure.RunAsync(output, nameof(RacingFirstCreates_MakeOneManagedKey_AndOneRepositoryPerName), () => Check.One(PropertyRuns.Config(40, fixedSeed: 20261132), property));
    }
}
