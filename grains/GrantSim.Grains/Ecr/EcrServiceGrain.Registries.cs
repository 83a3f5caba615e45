using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>
/// Which registry a service grain serves, and the repository policy operations. Keyed <c>region</c>, it
/// serves each caller its own account's registry; keyed <see cref="GrainKeys.EcrRegistry"/>
/// (<c>account/region</c>), the registry of that account, to callers of any account (the repository's
/// policy decides what another account may do).
/// </summary>
public sealed partial class EcrServiceGrain
{
    private (string? Registry, string Region) Address
    {
        get
        {
            var key = this.GetPrimaryKeyString();
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? (null, key) : (AccountId.Require(key[..slash]), key[(slash + 1)..]);
        }
    }

    /// <summary>
    /// Listing a whole registry is an action on <c>repository/*</c>, which no repository policy covers: another
    /// account's registry is listed only by naming its repositories (each then decides by its own policy).
    /// </summary>
    private void RequireListable(CallerIdentity caller, string registry)
    {
        if (registry != caller.Account)
        {
            var action = EcrOperations.Action(EcrOperations.DescribeRepositories);
            throw new AwsServiceException(AwsErrorCodes.AccessDenied,
                $"User: {caller.Principal} is not authorized to perform: {action} on resource: {RepositoryLifecycle.Arn(registry, Region, "*")} because no resource-based policy allows the {action} action");
        }
    }

    public Task<string> SetRepositoryPolicy(CallerIdentity caller, string repositoryName, string policyText, bool force = false) =>
        Repository(caller, repositoryName).SetPolicy(caller, policyText, force);

    public Task<string> GetRepositoryPolicy(CallerIdentity caller, string repositoryName) =>
        Repository(caller, repositoryName).GetPolicy(caller);

    public Task<string> DeleteRepositoryPolicy(CallerIdentity caller, string repositoryName) =>
        Repository(caller, repositoryName).DeletePolicy(caller);
}
