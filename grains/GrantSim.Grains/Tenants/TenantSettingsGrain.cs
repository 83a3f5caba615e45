using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Simulation;

namespace GrantSim.Tenants;

[GenerateSerializer, Alias("GrantSim.Tenants.TenantSettingsState")]
public sealed class TenantSettingsState
{
    [Id(0)] public SimulationSettings Settings { get; set; } = SimulationSettings.Default;
}

public sealed class TenantSettingsGrain(
    [PersistentState("settings", StorageNames.Default)] IPersistentState<TenantSettingsState> state) : Grain, ITenantSettingsGrain
{
    public Task<SimulationSettings> Get() => Task.FromResult(state.State.Settings);

    public async Task<SimulationSettings> Set(TimeSpan propagationDelay, FaultPlan kmsFaults)
    {
        if (propagationDelay < TimeSpan.Zero || propagationDelay > TimeSpan.FromHours(1))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, "The propagation delay must be between 0 and 1 hour.");
        }

        if (kmsFaults.Rules.Any(r => r.Probability is < 0 or > 1 || string.IsNullOrEmpty(r.ErrorCode) || string.IsNullOrEmpty(r.Operation)))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, "Every fault rule needs an operation, an error code and a probability between 0 and 1.");
        }

        var settings = new SimulationSettings(state.State.Settings.Version + 1, propagationDelay, kmsFaults);
        state.State.Settings = settings;
        await state.WriteStateAsync();

        // Push to every key of the tenant, region by region; key grains activated later read the stored settings.
        var account = this.GetPrimaryKeyString();
        await Task.WhenAll(Regions.All.Select(region =>
            GrainFactory.GetGrain<IKeyRegistryGrain>(GrainKeys.TenantRegion(account, region)).ApplySettings(settings)));
        return settings;
    }
}
