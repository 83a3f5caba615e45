using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>Repository settings: tags by repository ARN, tag mutability, and repository and registry scanning configuration.</summary>
public sealed partial class EcrServiceGrain
{
    public Task TagResource(CallerIdentity caller, string resourceArn, IReadOnlyList<RepositoryTag> tags) =>
        Tagged(caller, resourceArn, EcrOperations.TagResource).TagResource(caller, tags);

    public Task UntagResource(CallerIdentity caller, string resourceArn, IReadOnlyList<string> tagKeys) =>
        Tagged(caller, resourceArn, EcrOperations.UntagResource).UntagResource(caller, tagKeys);

    public Task<IReadOnlyList<RepositoryTag>> ListTagsForResource(CallerIdentity caller, string resourceArn) =>
        Tagged(caller, resourceArn, EcrOperations.ListTagsForResource).ListTagsForResource(caller);

    public Task<RepositoryDescription> PutImageTagMutability(CallerIdentity caller, string repositoryName, ImageTagMutability mutability, IReadOnlyList<ImageTagMutabilityExclusionFilter>? exclusionFilters = null) =>
        Repository(caller, repositoryName).PutImageTagMutability(caller, mutability, exclusionFilters);

    public Task<RepositoryDescription> PutImageScanningConfiguration(CallerIdentity caller, string repositoryName, bool scanOnPush) =>
        Repository(caller, repositoryName).PutImageScanningConfiguration(caller, scanOnPush);

    public async Task<(IReadOnlyList<RepositoryScanningConfiguration> Found, IReadOnlyList<string> NotFound)> BatchGetRepositoryScanningConfiguration(CallerIdentity caller, IReadOnlyList<string> repositoryNames)
    {
        var registry = await RegistryScanning(caller).Current();
        var found = new List<RepositoryScanningConfiguration>();
        var notFound = new List<string>();
        foreach (var name in repositoryNames.Distinct(StringComparer.Ordinal))
        {
            try
            {
                found.Add(ScanningConfigurations.For(await Repository(caller, name).DescribeScanning(caller), registry));
            }
            catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.RepositoryNotFound)
            {
                notFound.Add(name);
            }
        }

        return (found, notFound);
    }

    public Task<RegistryScanningConfiguration> PutRegistryScanningConfiguration(CallerIdentity caller, RegistryScanningConfiguration configuration) =>
        RegistryScanning(caller).Put(caller, configuration);

    public Task<RegistryScanningConfiguration> GetRegistryScanningConfiguration(CallerIdentity caller) =>
        RegistryScanning(caller).Get(caller);

    private IRegistryScanningConfigurationGrain RegistryScanning(CallerIdentity caller) =>
        GrainFactory.GetGrain<IRegistryScanningConfigurationGrain>(GrainKeys.TenantRegion(Account(caller), Region));

    /// <summary>The repository a resource ARN names, in the caller's own registry (<see cref="RepositoryResourceTags.RepositoryName"/>).</summary>
    private IRepositoryGrain Tagged(CallerIdentity caller, string resourceArn, string operation) =>
        Repository(caller, RepositoryResourceTags.RepositoryName(resourceArn, Account(caller), Region, caller.Principal, operation));
}
