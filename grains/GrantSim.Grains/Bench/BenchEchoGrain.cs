namespace GrantSim.Grains.Bench;

/// <summary>Answers at once: what a grain call costs when the grain does no work.</summary>
public sealed class BenchEchoGrain : Grain, IBenchEchoGrain
{
    public Task<int> Echo(int value) => Task.FromResult(value);
}
