using GrantSim.Ecr;
using GrantSim.Identity;

namespace GrantSim.Grains;

/// <summary>
/// The lifecycle policy of one repository: the same grain as <see cref="IRepositoryGrain"/> (same key,
/// same activation), through an interface of its own so that the capability stays in files of its own.
/// </summary>
[Alias("GrantSim.IRepositoryLifecyclePolicyGrain")]
public interface IRepositoryLifecyclePolicyGrain : IGrainWithStringKey
{
    [Alias("PutLifecyclePolicy")] Task<LifecyclePolicyDescription> PutLifecyclePolicy(CallerIdentity caller, string policyText);
    [Alias("GetLifecyclePolicy")] Task<LifecyclePolicyDescription> GetLifecyclePolicy(CallerIdentity caller);
    [Alias("DeleteLifecyclePolicy")] Task<LifecyclePolicyDescription> DeleteLifecyclePolicy(CallerIdentity caller);

    /// <summary>Evaluates <paramref name="policyText"/> (or, when null, the repository's own policy) against the images as they are now; expires nothing.</summary>
    [Alias("StartLifecyclePolicyPreview")] Task<LifecyclePolicyPreview> StartLifecyclePolicyPreview(CallerIdentity caller, string? policyText);
    [Alias("GetLifecyclePolicyPreview")] Task<LifecyclePolicyPreview> GetLifecyclePolicyPreview(CallerIdentity caller);
}

/// <summary>The lifecycle policy operations of a region's ECR endpoint: the same grain as <see cref="IEcrServiceGrain"/>, routed to the caller's repository.</summary>
[Alias("GrantSim.IEcrLifecyclePolicyService")]
public interface IEcrLifecyclePolicyService : IGrainWithStringKey
{
    [Alias("PutLifecyclePolicy")] Task<LifecyclePolicyDescription> PutLifecyclePolicy(CallerIdentity caller, string repositoryName, string policyText);
    [Alias("GetLifecyclePolicy")] Task<LifecyclePolicyDescription> GetLifecyclePolicy(CallerIdentity caller, string repositoryName);
    [Alias("DeleteLifecyclePolicy")] Task<LifecyclePolicyDescription> DeleteLifecyclePolicy(CallerIdentity caller, string repositoryName);
    [Alias("StartLifecyclePolicyPreview")] Task<LifecyclePolicyPreview> StartLifecyclePolicyPreview(CallerIdentity caller, string repositoryName, string? policyText);
    [Alias("GetLifecyclePolicyPreview")] Task<LifecyclePolicyPreview> GetLifecyclePolicyPreview(CallerIdentity caller, string repositoryName);
}
