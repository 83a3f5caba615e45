using GrantSim.Audit;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>
/// Repository policies: SetRepositoryPolicy, GetRepositoryPolicy, DeleteRepositoryPolicy, and the
/// authorization every repository call goes through (<see cref="RepositoryPolicies"/> decides: the
/// caller's identity policies and this repository's policy, same account or cross-account).
/// </summary>
public sealed partial class RepositoryGrain
{
    public async Task<string> SetPolicy(CallerIdentity caller, string policyText, bool force)
    {
        await ResumePendingWork();
        var parameters = new AuditRequestParameters { RepositoryName = _name, Force = force };
        return await Audited(caller, EcrOperations.SetRepositoryPolicy, parameters, () => ActiveOperation(caller, EcrOperations.SetRepositoryPolicy, async () =>
        {
            var next = RepositoryPolicies.Set(Repository, policyText);
            if (!force && RepositoryPolicies.WouldLockOut(caller, _account, RepositoryArn, await IdentityPoliciesOf(caller), policyText))
            {
                throw RepositoryPolicies.LockOut();
            }

            await Save(next);
            return policyText;
        }));
    }

    public async Task<string> GetPolicy(CallerIdentity caller)
    {
        await ResumePendingWork();
        var parameters = new AuditRequestParameters { RepositoryName = _name };
        return await Audited(caller, EcrOperations.GetRepositoryPolicy, parameters, () => ActiveOperation(caller, EcrOperations.GetRepositoryPolicy,
            () => Task.FromResult(RepositoryPolicies.Require(Repository, _account, _name))));
    }

    public async Task<string> DeletePolicy(CallerIdentity caller)
    {
        await ResumePendingWork();
        var parameters = new AuditRequestParameters { RepositoryName = _name };
        return await Audited(caller, EcrOperations.DeleteRepositoryPolicy, parameters, () => ActiveOperation(caller, EcrOperations.DeleteRepositoryPolicy, async () =>
        {
            var deleted = RepositoryPolicies.Require(Repository, _account, _name);
            await Save(RepositoryPolicies.Delete(Repository, _account, _name));
            return deleted;
        }));
    }

    /// <summary>
    /// The caller's identity policies and this repository's policy decide, as ECR decides; a caller of another
    /// account needs both. A repository that does not exist has no policy, so no other account reaches it.
    /// </summary>
    private async Task AuthorizeByPolicies(CallerIdentity caller, string action) =>
        RepositoryPolicies.Authorize(new RepositoryAccess(caller, _account, RepositoryArn, action), await IdentityPoliciesOf(caller), Repository.Policy);

    private async Task<IReadOnlyList<Iam.PolicyDocument>> IdentityPoliciesOf(CallerIdentity caller) =>
        caller.Kind is PrincipalKind.IamUser or PrincipalKind.IamRole ? await identityPolicies.For(caller) : [];
}
