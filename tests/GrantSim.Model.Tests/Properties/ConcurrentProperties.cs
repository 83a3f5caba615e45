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

        await Measure.RunAsync(output, nameof(ConcurrentBranches_AreExplainedBySomeSequentialOrderOfTheModel), () => Check.One(PropertyRuns.Config(20, fixedSeed: 20261130), property));
    }
}
