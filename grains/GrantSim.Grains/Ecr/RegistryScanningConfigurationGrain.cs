using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Iam;
using GrantSim.Identity;

namespace GrantSim.Ecr;

[GenerateSerializer, Alias("GrantSim.Ecr.RegistryScanningConfigurationState")]
public sealed class RegistryScanningConfigurationState
{
    /// <summary>Null until the registry's owner puts one: the registry then has ECR's default (basic scanning, no rules).</summary>
    [Id(0)] public RegistryScanningConfiguration? Configuration { get; set; }
}

/// <summary>
/// The scanning configuration of one account's registry in one region, keyed <c>account/region</c>.
/// Stored and reported; nothing is scanned (docs/spec.md). Registry-level actions have no resource in
/// IAM, so they are authorized on <c>*</c>, within the caller's own account.
/// </summary>
public sealed class RegistryScanningConfigurationGrain(
    [PersistentState("registry-scanning", StorageNames.Default)] IPersistentState<RegistryScanningConfigurationState> state,
    SimulationClock clock,
    AuditWriter auditWriter,
    IdentityPolicies identityPolicies) : Grain, IRegistryScanningConfigurationGrain
{
    private const string AnyResource = "*";

    private (string Account, string Region) Registry => GrainKeys.SplitTenantRegion(this.GetPrimaryKeyString());

    public async Task<RegistryScanningConfiguration> Put(CallerIdentity caller, RegistryScanningConfiguration configuration)
    {
        var now = clock.UtcNow;
        var (account, region) = Registry;
        try
        {
            await Authorize(caller, EcrOperations.PutRegistryScanningConfiguration);
            var next = ScanningConfigurations.Validate(configuration);
            var previous = state.State.Configuration;
            await state.ChangeAsync(s => s.Configuration = next, s => s.Configuration = previous);
            await auditWriter.Record(AuditEvents.Ecr(EcrOperations.PutRegistryScanningConfiguration, region, account, caller, now, new AuditRequestParameters(), null));
            return next;
        }
        catch (AwsServiceException error)
        {
            await auditWriter.Record(AuditEvents.Ecr(EcrOperations.PutRegistryScanningConfiguration, region, account, caller, now, new AuditRequestParameters(), null, error));
            throw;
        }
    }

    public async Task<RegistryScanningConfiguration> Get(CallerIdentity caller)
    {
        await Authorize(caller, EcrOperations.GetRegistryScanningConfiguration);
        return await Current();
    }

    public Task<RegistryScanningConfiguration> Current() => Task.FromResult(state.State.Configuration ?? RegistryScanningConfiguration.Default);

    private async Task Authorize(CallerIdentity caller, string operation)
    {
        var (account, region) = Registry;
        caller.ValidateFor(region);
        if (caller.Account != account)
        {
            throw new AwsServiceException(AwsErrorCodes.AccessDenied, $"User: {caller.Principal} is not authorized to perform: {EcrOperations.Action(operation)} on the registry of account {account}");
        }

        await identityPolicies.Require(caller, EcrOperations.Action(operation), AnyResource);
    }
}
