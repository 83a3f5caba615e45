using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Iam;

/// <summary>Fetches a caller's identity policies from its account's IAM grain (a silo service, injected into the grains that ask).</summary>
public sealed class IdentityPolicies(IGrainFactory grains)
{
    /// <summary>Parsed identity policies of an IAM user or role; none for the account root, service principals and unknown principals.</summary>
    public async Task<IReadOnlyList<PolicyDocument>> For(CallerIdentity caller)
    {
        if (caller.Kind is not (PrincipalKind.IamUser or PrincipalKind.IamRole))
        {
            return [];
        }

        var arn = Arn.Parse(caller.Principal);
        var policies = await grains.GetGrain<IIamGrain>(arn.Account).GetPolicies(arn.Resource);
        return policies is null ? [] : policies.Select(PolicyParser.ParseCached).ToArray();
    }

    /// <summary>
    /// Whether a caller may perform an IAM-only action (no resource policy involved): the account
    /// root always; IAM principals when an identity policy allows and none denies.
    /// </summary>
    public async Task<bool> Allow(CallerIdentity caller, string action, string resource, IReadOnlyDictionary<string, string>? context = null)
    {
        if (caller.Kind == PrincipalKind.AccountRoot)
        {
            return true;
        }

        var policies = await For(caller);
        var request = new AuthorizationRequest(caller, action, resource, context ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
        return PolicyEvaluator.EvaluateIdentityPolicies(policies, request) == PolicyDecision.Allow;
    }

    public async Task Require(CallerIdentity caller, string action, string resource)
    {
        if (!await Allow(caller, action, resource))
        {
            throw new AwsServiceException(AwsErrorCodes.AccessDenied,
                $"User: {caller.Principal} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action");
        }
    }
}
