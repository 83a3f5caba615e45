using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace GrantSim.Hosting;

/// <summary>Places a grain on the silo whose address is the grain's key (a per-silo agent).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Hosting.SiloBoundPlacement")]
public sealed class SiloBoundPlacement : PlacementStrategy
{
    public static SiloBoundPlacement Instance { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloBoundPlacementAttribute() : PlacementAttribute(SiloBoundPlacement.Instance);

public sealed class SiloBoundPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var key = target.GrainIdentity.Key.ToString();
        // A silo that has left is not there any more: any silo will do, the agent then only sets a clock that is already right.
        return Task.FromResult(silos.FirstOrDefault(s => s.ToParsableString() == key) ?? silos[0]);
    }
}
