using GrantSim.Simulation;
using Orleans.Concurrency;

namespace GrantSim.Grains;

/// <summary>The simulation settings of a tenant (account): propagation delay and KMS faults, pushed to the tenant's key grains.</summary>
[Alias("GrantSim.ITenantSettingsGrain")]
public interface ITenantSettingsGrain : IGrainWithStringKey
{
    /// <summary>Interleaves: key grains read settings while an update is being broadcast to them.</summary>
    [Alias("Get"), AlwaysInterleave] Task<SimulationSettings> Get();

    /// <summary>Stores the settings (the version is assigned here) and applies them to every key of the tenant before returning.</summary>
    [Alias("Set")] Task<SimulationSettings> Set(TimeSpan propagationDelay, FaultPlan kmsFaults);
}
