using GrantSim.Aws;
using GrantSim.Identity;

namespace GrantSim.Iam;

/// <summary>IAM policy evaluation: explicit deny wins, then any allow; nothing allowed by default.</summary>
public static class PolicyEvaluator
{
    /// <summary>Evaluates identity policies (no Principal element).</summary>
    public static PolicyDecision EvaluateIdentityPolicies(IEnumerable<PolicyDocument> policies, AuthorizationRequest request)
    {
        var allowed = false;
        foreach (var policy in policies)
        {
            foreach (var statement in policy.Statements)
            {
                if (!Applies(statement, request))
                {
                    continue;
                }

                if (statement.Effect == PolicyEffect.Deny)
                {
                    return PolicyDecision.ExplicitDeny;
                }

                allowed = true;
            }
        }

        return allowed ? PolicyDecision.Allow : PolicyDecision.NotAllowed;
    }

    /// <summary>Evaluates a resource policy (a key policy) for <paramref name="request"/>: whether it allows the call, denies it explicitly, or says nothing.</summary>
    public static ResourcePolicyDecision EvaluateResourcePolicy(PolicyDocument policy, AuthorizationRequest request)
    {
        bool allowed = false, delegated = false;
        foreach (var statement in policy.Statements)
        {
            var match = MatchPrincipal(statement.Principals, request.Caller);
            if (match == PrincipalMatch.None || !Applies(statement, request))
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                // A Deny naming an account applies to every principal of that account.
                return new ResourcePolicyDecision(true, false, false);
            }

            if (match == PrincipalMatch.Direct)
            {
                allowed = true;
            }
            else
            {
                delegated = true;
            }
        }

        return new ResourcePolicyDecision(false, allowed, delegated);
    }

    private enum PrincipalMatch
    {
        None,
        Direct,
        Account,
    }

    private static PrincipalMatch MatchPrincipal(PolicyPrincipals? principals, CallerIdentity caller)
    {
        if (principals is null)
        {
            return PrincipalMatch.None;
        }

        if (principals.Everyone)
        {
            return PrincipalMatch.Direct;
        }

        if (caller.IsServicePrincipal)
        {
            return principals.Services.Any(s => string.Equals(s, caller.Principal, StringComparison.OrdinalIgnoreCase) || ServiceMatchesRegional(s, caller.Principal))
                ? PrincipalMatch.Direct
                : PrincipalMatch.None;
        }

        var callerArn = Arn.Parse(caller.Principal);
        var best = PrincipalMatch.None;
        foreach (var value in principals.Aws)
        {
            if (string.Equals(value, caller.Principal, StringComparison.Ordinal))
            {
                return PrincipalMatch.Direct;
            }

            var namedAccount = AccountIdOf(value);
            if (namedAccount is not null && namedAccount == callerArn.Account && (value.Length == 12 || Arn.Parse(value).Partition == callerArn.Partition))
            {
                best = callerArn.Resource == "root" ? PrincipalMatch.Direct : PrincipalMatch.Account;
            }
        }

        return best;
    }

    // "ecr.amazonaws.com" in a policy also names the regional principal "ecr.us-east-1.amazonaws.com" (and, in
    // China, "ecr.amazonaws.com.cn" names "ecr.cn-north-1.amazonaws.com.cn"): the same service, in the same partition.
    private static bool ServiceMatchesRegional(string policyService, string callerService)
    {
        var service = policyService.Split('.')[0];
        return (policyService.Equals($"{service}.amazonaws.com", StringComparison.OrdinalIgnoreCase)
                && callerService.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase)
                || policyService.Equals($"{service}.amazonaws.com.cn", StringComparison.OrdinalIgnoreCase)
                && callerService.EndsWith(".amazonaws.com.cn", StringComparison.OrdinalIgnoreCase))
            && callerService.StartsWith(service + ".", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The account a principal value names as a whole: <c>111122223333</c> or <c>arn:...:iam::111122223333:root</c>.</summary>
    private static string? AccountIdOf(string value)
    {
        if (AccountId.IsValid(value))
        {
            return value;
        }

        return Arn.TryParse(value, out var arn) && arn.Service == "iam" && arn.Resource == "root" ? arn.Account : null;
    }

    /// <summary>Action, resource and conditions; the principal is matched separately.</summary>
    public static bool Applies(PolicyStatement statement, AuthorizationRequest request)
    {
        var actionListed = statement.Actions.Any(pattern => WildcardPattern.IsMatch(pattern, request.Action, ignoreCase: true));
        if (actionListed == statement.NotActions)
        {
            return false;
        }

        var resourceListed = statement.Resources.Any(pattern => WildcardPattern.IsMatch(pattern, request.Resource, ignoreCase: false));
        if (resourceListed == statement.NotResources)
        {
            return false;
        }

        foreach (var condition in statement.Conditions)
        {
            if (!ConditionHolds(condition, request.Context, request.MultiValued))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>IAM's set qualifiers on an operator: <c>ForAnyValue:</c> and <c>ForAllValues:</c>.</summary>
    public enum SetQualifier
    {
        None,
        ForAnyValue,
        ForAllValues,
    }

    /// <summary>The operator without its set qualifier, and which qualifier it had.</summary>
    public static string WithoutSetQualifier(string op, out SetQualifier qualifier)
    {
        const string any = "ForAnyValue:", all = "ForAllValues:";
        qualifier = op.StartsWith(any, StringComparison.Ordinal) ? SetQualifier.ForAnyValue : op.StartsWith(all, StringComparison.Ordinal) ? SetQualifier.ForAllValues : SetQualifier.None;
        return qualifier switch { SetQualifier.ForAnyValue => op[any.Length..], SetQualifier.ForAllValues => op[all.Length..], _ => op };
    }

    public static bool ConditionHolds(PolicyCondition condition, IReadOnlyDictionary<string, string> context) =>
        ConditionHolds(condition, context, NoMultiValued);

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoMultiValued = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// One condition. A multivalued key is a set: ForAnyValue holds when some member satisfies the operator,
    /// ForAllValues when every member does (so also for an empty or missing set), and an unqualified operator on a
    /// set reads as ForAnyValue. A single-valued key under a set qualifier is a set of one.
    /// </summary>
    public static bool ConditionHolds(PolicyCondition condition, IReadOnlyDictionary<string, string> context, IReadOnlyDictionary<string, IReadOnlyList<string>> multiValued)
    {
        var unqualified = WithoutSetQualifier(condition.Operator, out var qualifier);
        var ifExists = unqualified.EndsWith("IfExists", StringComparison.Ordinal);
        var op = ifExists ? unqualified[..^"IfExists".Length] : unqualified;
        IReadOnlyList<string>? members = multiValued.Count == 0 ? null : multiValued.FirstOrDefault(m => string.Equals(m.Key, condition.Key, StringComparison.OrdinalIgnoreCase)).Value;
        if (members is null && qualifier != SetQualifier.None && context.TryGetValue(condition.Key, out var single))
        {
            members = [single];
        }

        if (members is not null)
        {
            return qualifier == SetQualifier.ForAllValues
                ? members.All(m => Compares(op, condition.Values, m))
                : members.Any(m => Compares(op, condition.Values, m));
        }

        if (qualifier == SetQualifier.ForAllValues)
        {
            return true;
        }

        if (!context.TryGetValue(condition.Key, out var actual))
        {
            // A missing key matches nothing; the negated operators and IfExists then hold.
            return qualifier == SetQualifier.None && (ifExists || op.Contains("Not", StringComparison.Ordinal));
        }

        return Compares(op, condition.Values, actual);
    }

    private static bool Compares(string op, IReadOnlyList<string> values, string actual) =>
        op switch
        {
            "StringEquals" or "ArnEquals" => values.Any(v => string.Equals(v, actual, StringComparison.Ordinal)),
            "StringNotEquals" or "ArnNotEquals" => !values.Any(v => string.Equals(v, actual, StringComparison.Ordinal)),
            "StringEqualsIgnoreCase" => values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            "StringNotEqualsIgnoreCase" => !values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            "StringLike" or "ArnLike" => values.Any(v => WildcardPattern.IsMatch(v, actual, ignoreCase: false)),
            "StringNotLike" or "ArnNotLike" => !values.Any(v => WildcardPattern.IsMatch(v, actual, ignoreCase: false)),
            "Bool" => values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
}
