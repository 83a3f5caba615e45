using GrantSim.Aws;
using GrantSim.Iam;
using GrantSim.Identity;

namespace GrantSim.Kms;

/// <summary>
/// KMS authorization: an explicit Deny in the key policy or the caller's IAM policies wins; else
/// the key policy allows the caller, or names the caller's account (enabling IAM policies) and
/// IAM allows, or an effective grant allows. Pure.
/// </summary>
public static class KmsAuthorizer
{
    public static KmsAuthorization Authorize(
        KmsKey key, GrantBook grants, KmsCall call, IReadOnlyList<PolicyDocument> identityPolicies, DateTimeOffset now, TimeSpan propagationDelay)
    {
        var request = new AuthorizationRequest(call.Caller, KmsOperations.Action(call.Operation), key.Arn, ConditionContext(call, key))
        {
            MultiValued = call.ResourceAliases is { } aliases ? new Dictionary<string, IReadOnlyList<string>> { [ConditionKeys.KmsResourceAliases] = aliases } : NoMultiValued,
        };
        var keyPolicy = PolicyParser.ParseCached(key.Policy);
        var fromKeyPolicy = PolicyEvaluator.EvaluateResourcePolicy(keyPolicy, request);
        var fromIdentity = identityPolicies.Count == 0 ? PolicyDecision.NotAllowed : PolicyEvaluator.EvaluateIdentityPolicies(identityPolicies, request);
        if (fromKeyPolicy.ExplicitDeny || fromIdentity == PolicyDecision.ExplicitDeny)
        {
            throw Denied(call, key.Arn, explicitDeny: true);
        }

        if (fromKeyPolicy.Allowed || (fromKeyPolicy.DelegatedToIam && fromIdentity == PolicyDecision.Allow))
        {
            return KmsAuthorization.ByPolicy;
        }

        if (KmsOperations.Grantable.Contains(call.Operation))
        {
            var grant = GrantLifecycle.FindAuthorizingGrant(
                grants, call.Caller.Principal, call.Operation, call.EncryptionContext, now, propagationDelay,
                call.PresentedGrantIds ?? EmptySet, call.RequestedGrantOperations);
            if (grant is not null)
            {
                return new KmsAuthorization(grant.GrantId);
            }
        }

        throw Denied(call, key.Arn, explicitDeny: false);
    }

    /// <summary>Whether the caller's own IAM policies allow kms:RetireGrant on the key (the only source of that permission besides the grant itself).</summary>
    public static bool IdentityAllowsRetire(KmsKey key, CallerIdentity caller, IReadOnlyList<PolicyDocument> identityPolicies)
    {
        if (identityPolicies.Count == 0)
        {
            return false;
        }

        var request = new AuthorizationRequest(caller, KmsOperations.Action(KmsOperations.RetireGrant), key.Arn,
            ConditionContext(new KmsCall(caller, KmsOperations.RetireGrant), key));
        return PolicyEvaluator.EvaluateIdentityPolicies(identityPolicies, request) == PolicyDecision.Allow;
    }

    /// <summary>The request's condition keys: the caller, the service it came through, the encryption context, and the key's tags (aws:ResourceTag/*, for attribute-based access control).</summary>
    public static IReadOnlyDictionary<string, string> ConditionContext(KmsCall call, KmsKey? key = null)
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [ConditionKeys.AwsPrincipalArn] = call.Caller.Principal,
        };
        if (call.Caller.Account is { } account)
        {
            context[ConditionKeys.KmsCallerAccount] = account;
            context[ConditionKeys.AwsPrincipalAccount] = account;
        }

        if (call.Caller.ViaService is { } via)
        {
            context[ConditionKeys.KmsViaService] = via;
        }

        if (call.Operation is KmsOperations.CreateGrant or KmsOperations.ListGrants or KmsOperations.RevokeGrant)
        {
            context[ConditionKeys.KmsGrantIsForAwsResource] = call.GrantIsForAwsResource ? "true" : "false";
        }

        if (call.EncryptionContext is { } encryptionContext)
        {
            foreach (var pair in encryptionContext.Pairs)
            {
                context[ConditionKeys.KmsEncryptionContextPrefix + pair.Key] = pair.Value;
            }
        }

        if (key is not null)
        {
            foreach (var (name, value) in KeyTags.ResourceTagConditions(key))
            {
                context[name] = value;
            }
        }

        return context;
    }

    public static AwsServiceException Denied(KmsCall call, string keyArn, bool explicitDeny) =>
        new(AwsErrorCodes.AccessDenied,
            $"User: {call.Caller.Principal} is not authorized to perform: {KmsOperations.Action(call.Operation)} on resource: {keyArn} "
            + (explicitDeny ? "with an explicit deny" : $"because no resource-based policy allows the {KmsOperations.Action(call.Operation)} action"));

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoMultiValued = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Whether the key policy or the caller's policies test kms:ResourceAliases (the key grain then fetches the key's aliases).</summary>
    public static bool NeedsAliases(KmsKey key, IReadOnlyList<PolicyDocument> identityPolicies) =>
        PolicyParser.ParseCached(key.Policy).Tests(ConditionKeys.KmsResourceAliases) || identityPolicies.Any(p => p.Tests(ConditionKeys.KmsResourceAliases));
}
