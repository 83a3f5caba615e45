using GrantSim.Model.Tests.Commands;
using GrantSim.Model.Tests.Runner;
using GrantSim.Model.Tests.Support;
using Xunit.Abstractions;

namespace GrantSim.Model.Tests.Properties;

[Collection(ModelClusterCollection.Name)]
public sealed class SiloFaultProperties(ModelClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// Silos are killed (and replaced) between commands, on a cluster whose storage survives them:
    /// every acknowledged repository, image, grant and key state is still there, and pulls return
    /// the pushed bytes (the state comparison and invariant 6 after every step).
    /// </summary>
    [Fact]
    public async Task KillingSilosMidSequence_LosesNothingAcknowledged()
    {
        var runner = new ScenarioRunner(fixture);
        var property = Prop.ForAll(Generators.Scenarios(20, siloFaults: true), scenario => SequentialProperties.Block(runner.RunAsync(scenario)));

        await Measure.RunAsync(output, nameof(KillingSilosMidSequence_LosesNothingAcknowledged), () => Check.One(PropertyRuns.Config(6, fixedSeed: 20261131), property));
    }
}
