namespace GrantSim.Simulation;

/// <summary>
/// A tenant's simulation knobs. <see cref="PropagationDelay"/>: how long a grant create, retire or
/// revoke takes to be effective everywhere (0 by default; a grant token bypasses it for a new
/// grant). <see cref="Version"/> orders updates so a late broadcast never overwrites a newer one.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Simulation.SimulationSettings")]
public sealed record SimulationSettings(
    [property: Id(0)] long Version,
    [property: Id(1)] TimeSpan PropagationDelay,
    [property: Id(2)] FaultPlan KmsFaults)
{
    public static SimulationSettings Default { get; } = new(0, TimeSpan.Zero, FaultPlan.None);
}
