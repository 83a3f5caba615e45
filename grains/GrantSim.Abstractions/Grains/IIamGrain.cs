using GrantSim.Identity;
using Orleans.Concurrency;

namespace GrantSim.Grains;

/// <summary>The IAM users and roles of an account and their identity policies.</summary>
[Alias("GrantSim.IIamGrain")]
public interface IIamGrain : IGrainWithStringKey
{
    [Alias("PutPrincipal")] Task PutPrincipal(PrincipalDefinition principal);

    /// <summary>The identity policies of <c>user/x</c> or <c>role/x</c>; null when no such principal exists.</summary>
    [Alias("GetPolicies"), ReadOnly] Task<IReadOnlyList<string>?> GetPolicies(string principalPath);

    [Alias("ListPrincipals"), ReadOnly] Task<IReadOnlyList<PrincipalDefinition>> ListPrincipals();
}
