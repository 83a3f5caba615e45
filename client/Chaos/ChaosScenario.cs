using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;

namespace GrantSim.Client.Chaos;

/// <summary>
/// A named way of breaking things on purpose. The harness gives it a fresh set of tenants and a
/// <see cref="ScenarioContext"/>; the scenario runs its workload and faults, and records the checks
/// that are its own promise. The harness then ends every fault, finishes pending work, and checks
/// every invariant of SPEC §7 against the final state.
/// </summary>
public abstract class ChaosScenario
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>
    /// Which block of <see cref="ChaosOptions.MaxTenants"/> accounts this scenario's tenants come from: its own, so
    /// scenarios never share a tenant, and fixed, so that a seed replays the same accounts whatever the catalogue's order
    /// (<c>ScenarioCatalogueTests</c> checks that no two scenarios declare the same block).
    /// </summary>
    public abstract int AccountBlock { get; }

    /// <summary>The background workload's operation kinds and weights; null for the default simulation mix.</summary>
    public virtual IReadOnlyList<(string Kind, int Weight)>? Mix => null;

    /// <summary>Whether the scenario's calls retry transient errors like an AWS SDK.</summary>
    public virtual bool RetriesLikeAnSdk => false;

    /// <summary>The grant propagation delay the scenario sets for its tenants (the invariants allow a grant to act that long after it ended).</summary>
    public virtual TimeSpan PropagationDelay => TimeSpan.Zero;

    /// <summary>
    /// What, besides the seed, decides the scenario's outcomes — so that a sweep can say when a
    /// replay of a failing seed may not fail again — or null when the seed alone decides everything.
    /// By default: the workload's deliberate races (two creates of one name, a delete beside a push).
    /// </summary>
    public virtual string? TimingDependence =>
        (Mix ?? SimulationRunner.DefaultMix).Any(m => m.Kind is OperationKinds.ConcurrentCreate or OperationKinds.ConcurrentDeleteAndPush)
            ? "its workload races two calls on one name now and then; which one wins is timing"
            : null;

    /// <summary>Why the scenario cannot run on this connection (e.g. no way to kill silos), or null.</summary>
    public virtual string? CannotRunBecause(ISiloControl? silos) => null;

    public abstract Task RunAsync(ScenarioContext context);
}
