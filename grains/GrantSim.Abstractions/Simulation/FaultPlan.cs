namespace GrantSim.Simulation;

/// <summary>The injected faults of a tenant: seeded, so that the same calls fail in a replay.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Simulation.FaultPlan")]
public sealed record FaultPlan(
    [property: Id(0)] int Seed,
    [property: Id(1)] IReadOnlyList<FaultRule> Rules)
{
    public static FaultPlan None { get; } = new(0, []);

    public bool IsEmpty => Rules.Count == 0;
}
