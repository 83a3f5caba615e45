using GrantSim.Ecr;
using GrantSim.Identity;

namespace GrantSim.Grains;

/// <summary>A registry's scanning configuration (one per account and region), keyed <see cref="GrainKeys.TenantRegion"/>.</summary>
[Alias("GrantSim.IRegistryScanningConfigurationGrain")]
public interface IRegistryScanningConfigurationGrain : IGrainWithStringKey
{
    [Alias("Put")] Task<RegistryScanningConfiguration> Put(CallerIdentity caller, RegistryScanningConfiguration configuration);
    [Alias("Get")] Task<RegistryScanningConfiguration> Get(CallerIdentity caller);

    /// <summary>The configuration without an authorization check, for the ECR service's own use; not an AWS API.</summary>
    [Alias("Current")] Task<RegistryScanningConfiguration> Current();
}
