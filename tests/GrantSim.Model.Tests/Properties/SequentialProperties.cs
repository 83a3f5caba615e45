using GrantSim.Model.Tests.Commands;
using GrantSim.Model.Tests.Runner;
using GrantSim.Model.Tests.Support;
using Xunit.Abstractions;

namespace GrantSim.Model.Tests.Properties;

[Collection(ModelClusterCollection.Name)]
public sealed class SequentialProperties(ModelClusterFixture fixture, ITestOutputHelper output)
{
    public const int MaxLength = 30;

    [Fact]
    public async Task AnySequenceOfCommands_AgreesWithTheModel_AndKeepsEveryInvariant()
    {
        var runner = new ScenarioRunner(fixture);
        var property = Prop.ForAll(Generators.Scenarios(MaxLength, siloFaults: false), scenario => Block(runner.RunAsync(scenario)));

        await Measure.RunAsync(output, nameof(AnySequenceOfCommands_AgreesWithTheModel_AndKeepsEveryInvariant), () => Check.One(PropertyRuns.Config(100, fixedSeed: 20261129), property));
    }

    /// <summary>FsCheck properties are synchronous; the scenario runs on the thread pool so no synchronization context can deadlock it.</summary>
    internal static void Block(Task scenario) => Task.Run(() => scenario).GetAwaiter().GetResult();
}
