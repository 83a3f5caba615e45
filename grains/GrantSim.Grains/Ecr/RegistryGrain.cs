using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Hosting;
using GrantSim.Iam;
using GrantSim.Identity;

namespace GrantSim.Ecr;

[GenerateSerializer, Alias("GrantSim.Ecr.RegistryGrainState")]
public sealed class RegistryGrainState
{
    [Id(0)] public RegistrySettings Settings { get; set; } = RegistrySettings.Empty;
}

/// <summary>
/// The private registry settings of one account in one Region: the registry policy, the replication configuration and the
/// repository creation templates. The API's calls are the registry owner's (its identity policies decide, on resource
/// <c>*</c>: these actions name no resource type); the internal calls serve replication.
/// </summary>
public sealed class RegistryGrain(
    [PersistentState("registry", StorageNames.Default)] IPersistentState<RegistryGrainState> state,
    SimulationClock clock,
    AuditWriter auditWriter,
    IdentityPolicies identityPolicies) : Grain, IRegistryGrain
{
    private string _account = "";
    private string _region = "";

    private RegistrySettings Settings => state.State.Settings;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_account, _region) = GrainKeys.SplitTenantRegion(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    // ---- registry policy ----

    public Task<string> PutPolicy(CallerIdentity caller, string policyText) =>
        Audited(caller, EcrOperations.PutRegistryPolicy, async () =>
        {
            RegistryPolicies.Validate(policyText);
            await Save(Settings with { PolicyText = policyText });
            return policyText;
        });

    public Task<string> GetPolicy(CallerIdentity caller) =>
        Audited(caller, EcrOperations.GetRegistryPolicy, () => Task.FromResult(Settings.PolicyText ?? throw PolicyNotFound()));

    public Task<string> DeletePolicy(CallerIdentity caller) =>
        Audited(caller, EcrOperations.DeleteRegistryPolicy, async () =>
        {
            var policy = Settings.PolicyText ?? throw PolicyNotFound();
            await Save(Settings with { PolicyText = null });
            return policy;
        });

    public Task<bool> AllowsReplication(CallerIdentity replicator, string action, string repositoryArn) =>
        Task.FromResult(RegistryPolicies.AllowsReplication(
            Settings.PolicyText is { } text ? PolicyParser.ParseCached(text) : null, replicator, action, repositoryArn));

    private AwsServiceException PolicyNotFound() =>
        new(AwsErrorCodes.RegistryPolicyNotFound, $"Registry policy does not exist in the registry with id '{_account}'");

    // ---- replication ----

    public Task<ReplicationConfiguration> PutReplicationConfiguration(CallerIdentity caller, ReplicationConfiguration configuration) =>
        Audited(caller, EcrOperations.PutReplicationConfiguration, async () =>
        {
            var valid = ReplicationRules.Validate(configuration, _account, _region);
            await Save(Settings with { Replication = valid });
            return valid;
        });

    public Task<ReplicationConfiguration> DescribeRegistry(CallerIdentity caller) =>
        Audited(caller, EcrOperations.DescribeRegistry, () => Task.FromResult(Settings.Replication));

    public Task<ReplicationConfiguration> CurrentReplication() => Task.FromResult(Settings.Replication);

    // ---- pull-time update exclusions ----

    public Task<DateTimeOffset> RegisterPullTimeUpdateExclusion(CallerIdentity caller, string principalArn) =>
        Audited(caller, EcrOperations.RegisterPullTimeUpdateExclusion, async () =>
        {
            var now = clock.UtcNow;
            await Save(Settings with { PullTimeExclusions = PullTimeExclusions.Register(Settings.PullTimeExclusions, principalArn, _account, now) });
            return now;
        });

    public Task DeregisterPullTimeUpdateExclusion(CallerIdentity caller, string principalArn) =>
        Audited(caller, EcrOperations.DeregisterPullTimeUpdateExclusion, async () =>
        {
            await Save(Settings with { PullTimeExclusions = PullTimeExclusions.Deregister(Settings.PullTimeExclusions, principalArn, _account) });
            return true;
        });

    public Task<IReadOnlyList<string>> ListPullTimeUpdateExclusions(CallerIdentity caller) =>
        Audited(caller, EcrOperations.ListPullTimeUpdateExclusions, () => Task.FromResult<IReadOnlyList<string>>([.. Settings.PullTimeExclusions.Keys]));

    public Task<bool> ExcludesFromPullTime(string principal) => Task.FromResult(PullTimeExclusions.Excludes(Settings.PullTimeExclusions, principal));

    // ---- account settings ----

    public Task<string> GetAccountSetting(CallerIdentity caller, string name) =>
        Audited(caller, EcrOperations.GetAccountSetting, () => Task.FromResult(AccountSettings.Get(Settings.AccountSettings, name)));

    public Task<string> PutAccountSetting(CallerIdentity caller, string name, string value) =>
        Audited(caller, EcrOperations.PutAccountSetting, async () =>
        {
            await Save(Settings with { AccountSettings = AccountSettings.Put(Settings.AccountSettings, name, value) });
            return value;
        });

    // ---- managed signing ----

    public Task<SigningConfiguration> PutSigningConfiguration(CallerIdentity caller, SigningConfiguration configuration) =>
        Audited(caller, EcrOperations.PutSigningConfiguration, async () =>
        {
            var valid = SigningConfigurations.Validate(configuration);
            await Save(Settings with { Signing = valid });
            return valid;
        });

    public Task<SigningConfiguration> GetSigningConfiguration(CallerIdentity caller) =>
        Audited(caller, EcrOperations.GetSigningConfiguration, () => Task.FromResult(Settings.Signing ?? throw SigningConfigurations.NotFound(_account)));

    public Task<SigningConfiguration> DeleteSigningConfiguration(CallerIdentity caller) =>
        Audited(caller, EcrOperations.DeleteSigningConfiguration, async () =>
        {
            var current = Settings.Signing ?? throw SigningConfigurations.NotFound(_account);
            await Save(Settings with { Signing = null });
            return current;
        });

    public Task<SigningConfiguration?> CurrentSigningConfiguration() => Task.FromResult(Settings.Signing);

    // ---- repository creation templates ----

    public Task<RepositoryCreationTemplate> CreateTemplate(CallerIdentity caller, RepositoryCreationTemplateUpdate template) =>
        Audited(caller, EcrOperations.CreateRepositoryCreationTemplate, async () =>
        {
            var created = CreationTemplates.Create(Settings.Templates, template, _account, _region, clock.UtcNow);
            await Save(Settings with { Templates = Settings.Templates.Add(created) });
            return created;
        });

    public Task<RepositoryCreationTemplate> UpdateTemplate(CallerIdentity caller, RepositoryCreationTemplateUpdate update) =>
        Audited(caller, EcrOperations.UpdateRepositoryCreationTemplate, async () =>
        {
            var updated = CreationTemplates.Update(Settings.Templates, update, _account, _region, clock.UtcNow);
            var current = CreationTemplates.Find(Settings.Templates, update.Prefix)!;
            await Save(Settings with { Templates = Settings.Templates.Replace(current, updated) });
            return updated;
        });

    public Task<RepositoryCreationTemplate> DeleteTemplate(CallerIdentity caller, string prefix) =>
        Audited(caller, EcrOperations.DeleteRepositoryCreationTemplate, async () =>
        {
            var current = CreationTemplates.Find(Settings.Templates, prefix) ?? throw CreationTemplates.NotFound(prefix, _account);
            await Save(Settings with { Templates = Settings.Templates.Remove(current) });
            return current;
        });

    public Task<IReadOnlyList<RepositoryCreationTemplate>> DescribeTemplates(CallerIdentity caller, IReadOnlyList<string>? prefixes) =>
        Audited(caller, EcrOperations.DescribeRepositoryCreationTemplates, () =>
        {
            IEnumerable<RepositoryCreationTemplate> found = Settings.Templates;
            if (prefixes is { Count: > 0 })
            {
                var missing = prefixes.FirstOrDefault(p => CreationTemplates.Find(Settings.Templates, p) is null);
                if (missing is not null)
                {
                    throw CreationTemplates.NotFound(missing, _account);
                }

                found = found.Where(t => prefixes.Any(p => CreationTemplates.Normalize(p) == CreationTemplates.Normalize(t.Prefix)));
            }

            return Task.FromResult<IReadOnlyList<RepositoryCreationTemplate>>(found.OrderBy(t => t.Prefix, StringComparer.Ordinal).ToArray());
        });

    public Task<RepositoryCreationTemplate?> TemplateFor(string repositoryName, string appliedFor) =>
        Task.FromResult(CreationTemplates.Match(Settings.Templates, repositoryName, appliedFor));

    // ---- shared ----

    /// <summary>Authorizes the registry's owner (its identity policies, resource <c>*</c>), runs the call and records it in the trail.</summary>
    private async Task<T> Audited<T>(CallerIdentity caller, string operation, Func<Task<T>> action)
    {
        var now = clock.UtcNow;
        try
        {
            caller.ValidateFor(_region);
            if (caller.Account != _account)
            {
                throw new AwsServiceException(AwsErrorCodes.AccessDenied, $"User: {caller.Principal} is not authorized to perform: {EcrOperations.Action(operation)} on the registry of account {_account}");
            }

            await identityPolicies.Require(caller, EcrOperations.Action(operation), "*");
            var result = await action();
            await auditWriter.Record(AuditEvents.Ecr(operation, _region, _account, caller, now, new AuditRequestParameters(), null));
            return result;
        }
        catch (AwsServiceException error)
        {
            await auditWriter.Record(AuditEvents.Ecr(operation, _region, _account, caller, now, new AuditRequestParameters(), null, error));
            throw;
        }
    }

    private Task Save(RegistrySettings next)
    {
        var previous = state.State.Settings;
        return state.ChangeAsync(s => s.Settings = next, s => s.Settings = previous);
    }
}
