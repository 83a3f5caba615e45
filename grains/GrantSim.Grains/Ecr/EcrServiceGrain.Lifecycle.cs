using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>The lifecycle policy operations, routed like the others to the caller's own repository.</summary>
public sealed partial class EcrServiceGrain : IEcrLifecyclePolicyService
{
    public Task<LifecyclePolicyDescription> PutLifecyclePolicy(CallerIdentity caller, string repositoryName, string policyText) =>
        LifecyclePolicyOf(caller, repositoryName).PutLifecyclePolicy(caller, policyText);

    public Task<LifecyclePolicyDescription> GetLifecyclePolicy(CallerIdentity caller, string repositoryName) =>
        LifecyclePolicyOf(caller, repositoryName).GetLifecyclePolicy(caller);

    public Task<LifecyclePolicyDescription> DeleteLifecyclePolicy(CallerIdentity caller, string repositoryName) =>
        LifecyclePolicyOf(caller, repositoryName).DeleteLifecyclePolicy(caller);

    public Task<LifecyclePolicyPreview> StartLifecyclePolicyPreview(CallerIdentity caller, string repositoryName, string? policyText) =>
        LifecyclePolicyOf(caller, repositoryName).StartLifecyclePolicyPreview(caller, policyText);

    public Task<LifecyclePolicyPreview> GetLifecyclePolicyPreview(CallerIdentity caller, string repositoryName) =>
        LifecyclePolicyOf(caller, repositoryName).GetLifecyclePolicyPreview(caller);

    private IRepositoryLifecyclePolicyGrain LifecyclePolicyOf(CallerIdentity caller, string repositoryName) =>
        Repository(caller, repositoryName).AsReference<IRepositoryLifecyclePolicyGrain>();
}
