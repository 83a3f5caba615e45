using GrantSim.Ecr;
using GrantSim.Identity;

namespace GrantSim.Grains;

/// <summary>
/// The private registry settings of an account+region, keyed <c>account/region</c>: the registry policy (which other
/// accounts may replicate into this registry), the replication configuration and the repository creation templates.
/// </summary>
[Alias("GrantSim.IRegistryGrain")]
public interface IRegistryGrain : IGrainWithStringKey
{
    [Alias("PutPolicy")] Task<string> PutPolicy(CallerIdentity caller, string policyText);
    [Alias("GetPolicy")] Task<string> GetPolicy(CallerIdentity caller);
    [Alias("DeletePolicy")] Task<string> DeletePolicy(CallerIdentity caller);

    [Alias("PutReplicationConfiguration")] Task<ReplicationConfiguration> PutReplicationConfiguration(CallerIdentity caller, ReplicationConfiguration configuration);
    [Alias("DescribeRegistry")] Task<ReplicationConfiguration> DescribeRegistry(CallerIdentity caller);

    [Alias("CreateTemplate")] Task<RepositoryCreationTemplate> CreateTemplate(CallerIdentity caller, RepositoryCreationTemplateUpdate template);
    [Alias("UpdateTemplate")] Task<RepositoryCreationTemplate> UpdateTemplate(CallerIdentity caller, RepositoryCreationTemplateUpdate update);
    [Alias("DeleteTemplate")] Task<RepositoryCreationTemplate> DeleteTemplate(CallerIdentity caller, string prefix);
    [Alias("DescribeTemplates")] Task<IReadOnlyList<RepositoryCreationTemplate>> DescribeTemplates(CallerIdentity caller, IReadOnlyList<string>? prefixes);

    [Alias("RegisterPullTimeUpdateExclusion")] Task<DateTimeOffset> RegisterPullTimeUpdateExclusion(CallerIdentity caller, string principalArn);
    [Alias("DeregisterPullTimeUpdateExclusion")] Task DeregisterPullTimeUpdateExclusion(CallerIdentity caller, string principalArn);
    [Alias("ListPullTimeUpdateExclusions")] Task<IReadOnlyList<string>> ListPullTimeUpdateExclusions(CallerIdentity caller);

    [Alias("GetAccountSetting")] Task<string> GetAccountSetting(CallerIdentity caller, string name);
    [Alias("PutAccountSetting")] Task<string> PutAccountSetting(CallerIdentity caller, string name, string value);

    [Alias("PutSigningConfiguration")] Task<SigningConfiguration> PutSigningConfiguration(CallerIdentity caller, SigningConfiguration configuration);
    [Alias("GetSigningConfiguration")] Task<SigningConfiguration> GetSigningConfiguration(CallerIdentity caller);
    [Alias("DeleteSigningConfiguration")] Task<SigningConfiguration> DeleteSigningConfiguration(CallerIdentity caller);

    /// <summary>The signing configuration, for DescribeImageSigningStatus; none when none was put. Not an AWS API.</summary>
    [Alias("CurrentSigningConfiguration")] Task<SigningConfiguration?> CurrentSigningConfiguration();

    /// <summary>Whether a pull by <paramref name="principal"/> leaves images' pull times alone; not an AWS API.</summary>
    [Alias("ExcludesFromPullTime")] Task<bool> ExcludesFromPullTime(string principal);

    /// <summary>The replication configuration, for a push to decide where its image goes; not an AWS API.</summary>
    [Alias("CurrentReplication")] Task<ReplicationConfiguration> CurrentReplication();

    /// <summary>Whether the registry policy lets <paramref name="replicator"/> (another account's replication) perform <paramref name="action"/> on <paramref name="repositoryArn"/>; not an AWS API.</summary>
    [Alias("AllowsReplication")] Task<bool> AllowsReplication(CallerIdentity replicator, string action, string repositoryArn);

    /// <summary>The template that applies to a repository ECR creates for <paramref name="appliedFor"/>, if any; not an AWS API.</summary>
    [Alias("TemplateFor")] Task<RepositoryCreationTemplate?> TemplateFor(string repositoryName, string appliedFor);
}
