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

    public Task<string> SetRepositoryPolicy(CallerIdentity caller, string repositoryName, string policyText, bool force = false) =>
        Repository(caller, repositoryName).SetPolicy(caller, policyText, force);

    public Task<string> GetRepositoryPolicy(CallerIdentity caller, string repositoryName) =>
        Repository(caller, repositoryName).GetPolicy(caller);

    public Task<string> DeleteRepositoryPolicy(CallerIdentity caller, string repositoryName) =>
        Repository(caller, repositoryName).DeletePolicy(caller);
}
