using GrantSim.Aws;
using GrantSim.Iam;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>One ECR authorization question: may <see cref="Caller"/> perform <see cref="Action"/> (e.g. <c>ecr:BatchGetImage</c>) on the repository of <see cref="RepositoryAccount"/>?</summary>
public sealed record RepositoryAccess(CallerIdentity Caller, string RepositoryAccount, string RepositoryArn, string Action)
{
    /// <summary>Whether the caller is an IAM principal of the account that owns the repository.</summary>
    public bool SameAccount => Caller.Account == RepositoryAccount;
}

/// <summary>The outcome of <see cref="RepositoryPolicies.Decide"/>: allowed, or which rule refused.</summary>
public enum RepositoryAccessDecision
{
    Allowed,

    /// <summary>A Deny statement of the caller's identity policies applies.</summary>
    ExplicitDenyInIdentityPolicy,

    /// <summary>A Deny statement of the repository policy applies to the caller.</summary>
    ExplicitDenyInRepositoryPolicy,

    /// <summary>Same account: neither an identity policy nor the repository policy allows. Cross-account: the repository policy allows, the caller's identity policies do not.</summary>
    NoIdentityPolicyAllows,

    /// <summary>Cross-account: the repository policy (or its absence) does not allow the caller's principal or account.</summary>
    NoRepositoryPolicyAllows,
}

/// <summary>
/// Repository policies as ECR reads and enforces them. A policy is an IAM resource policy (parsed by
/// <see cref="PolicyParser"/>, evaluated by <see cref="PolicyEvaluator"/>) whose statements each name a
/// Principal and ECR actions. Evaluation follows ECR's user guide: an explicit Deny in the caller's identity
/// policies or in the repository policy refuses; otherwise, within the repository's own account, an allow
/// by either suffices; from another account, the repository policy must allow the caller (its ARN, its
/// account, or everyone) AND the caller's own identity policies must allow the action. Pure.
/// </summary>
public static class RepositoryPolicies
{
    /// <summary>The longest policy text ECR takes (the service model's <c>RepositoryPolicyText</c>).</summary>
    public const int MaxPolicyLength = 10240;

    private const string ActionPrefix = "ecr:";

    /// <summary>
    /// Reads a policy as SetRepositoryPolicy does: JSON ECR's IAM grammar accepts, every statement with a
    /// Principal (a repository policy says whom it is about), every action an ECR action or a wildcard.
    /// Anything else is ECR's InvalidParameterException, with ECR's wording.
    /// </summary>
    public static PolicyDocument Validate(string policyText)
    {
        if (policyText.Length > MaxPolicyLength)
        {
            throw Invalid();
        }

        PolicyDocument document;
        try
        {
            document = PolicyParser.Parse(policyText);
        }
        catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.MalformedPolicyDocument)
        {
            throw Invalid();
        }

        if (document.Statements.Count == 0)
        {
            throw Invalid();
        }

        foreach (var statement in document.Statements)
        {
            if (statement.Principals is null || statement.Actions.Count == 0 || !statement.Actions.All(IsEcrActionPattern))
            {
                throw Invalid();
            }
        }

        return document;
    }

    /// <summary>An action pattern a repository policy may hold: <c>*</c>, or <c>ecr:</c> followed by an action name or a wildcard pattern.</summary>
    public static bool IsEcrActionPattern(string pattern) =>
        pattern == "*"
        || pattern.Length > ActionPrefix.Length && pattern.StartsWith(ActionPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>What ECR decides for <paramref name="access"/>, given the caller's identity policies and the repository's policy text (null: none).</summary>
    public static RepositoryAccessDecision Decide(RepositoryAccess access, IReadOnlyList<PolicyDocument> identityPolicies, string? repositoryPolicy)
    {
        var request = new AuthorizationRequest(access.Caller, access.Action, access.RepositoryArn, ConditionContext(access.Caller));

        // The account root is not subject to its own account's identity policies: within its account it may do anything.
        var identity = access.Caller.Kind == PrincipalKind.AccountRoot ? PolicyDecision.Allow
            : access.Caller.IsServicePrincipal ? PolicyDecision.NotAllowed
            : PolicyEvaluator.EvaluateIdentityPolicies(identityPolicies, request);
        var resource = repositoryPolicy is null ? default : PolicyEvaluator.EvaluateResourcePolicy(PolicyParser.ParseCached(repositoryPolicy), request);
        if (identity == PolicyDecision.ExplicitDeny)
        {
            return RepositoryAccessDecision.ExplicitDenyInIdentityPolicy;
        }

        if (resource.ExplicitDeny)
        {
            return RepositoryAccessDecision.ExplicitDenyInRepositoryPolicy;
        }

        if (access.SameAccount)
        {
            // Either policy suffices. A statement naming the own account (not this principal) only defers to IAM.
            return identity == PolicyDecision.Allow || resource.Allowed ? RepositoryAccessDecision.Allowed : RepositoryAccessDecision.NoIdentityPolicyAllows;
        }

        if (access.Caller.IsServicePrincipal)
        {
            // A service principal has no identity policies: the repository policy naming it is all there is.
            return resource.Allowed ? RepositoryAccessDecision.Allowed : RepositoryAccessDecision.NoRepositoryPolicyAllows;
        }

        // Another account: the repository policy must name the caller or its account, and the caller's own account must allow it too.
        if (!resource.Allowed && !resource.DelegatedToIam)
        {
            return RepositoryAccessDecision.NoRepositoryPolicyAllows;
        }

        return identity == PolicyDecision.Allow ? RepositoryAccessDecision.Allowed : RepositoryAccessDecision.NoIdentityPolicyAllows;
    }

    /// <summary>Throws AWS's AccessDeniedException, in IAM's wording for the rule that refused, unless <see cref="Decide"/> allows.</summary>
    public static void Authorize(RepositoryAccess access, IReadOnlyList<PolicyDocument> identityPolicies, string? repositoryPolicy)
    {
        var decision = Decide(access, identityPolicies, repositoryPolicy);
        if (decision != RepositoryAccessDecision.Allowed)
        {
            throw Denied(access, decision);
        }
    }

    /// <summary>
    /// Whether setting <paramref name="newPolicy"/> would leave the caller unable to set a repository policy
    /// again (what SetRepositoryPolicy refuses unless forced): the caller would no longer be allowed
    /// <c>ecr:SetRepositoryPolicy</c> on the repository.
    /// </summary>
    public static bool WouldLockOut(CallerIdentity caller, string repositoryAccount, string repositoryArn, IReadOnlyList<PolicyDocument> identityPolicies, string newPolicy) =>
        Decide(new RepositoryAccess(caller, repositoryAccount, repositoryArn, EcrOperations.Action(EcrOperations.SetRepositoryPolicy)), identityPolicies, newPolicy)
            != RepositoryAccessDecision.Allowed;

    /// <summary>The state with a new policy; the text is validated first (a refused policy changes nothing).</summary>
    public static RepositoryState Set(RepositoryState state, string policyText)
    {
        Validate(policyText);
        return state with { Policy = policyText };
    }

    /// <summary>The repository's policy text, or ECR's RepositoryPolicyNotFoundException.</summary>
    public static string Require(RepositoryState state, string account, string name) =>
        state.Policy ?? throw new AwsServiceException(AwsErrorCodes.RepositoryPolicyNotFound,
            $"Repository policy does not exist for the repository with name '{name}' in the registry with id '{account}'");

    /// <summary>The state without its policy; RepositoryPolicyNotFoundException when it has none.</summary>
    public static RepositoryState Delete(RepositoryState state, string account, string name)
    {
        Require(state, account, name);
        return state with { Policy = null };
    }

    /// <summary>SetRepositoryPolicy without <c>force</c>, when the new policy would lock its caller out.</summary>
    public static AwsServiceException LockOut() =>
        new(AwsErrorCodes.InvalidParameter,
            "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'The repository policy would prevent the caller from setting the repository policy in the future; set force to apply it anyway'");

    /// <summary>The condition keys of an ECR request: who calls, from which account.</summary>
    public static IReadOnlyDictionary<string, string> ConditionContext(CallerIdentity caller)
    {
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [ConditionKeys.AwsPrincipalArn] = caller.Principal,
        };
        if (caller.Account is { } account)
        {
            context[ConditionKeys.AwsPrincipalAccount] = account;
        }

        return context;
    }

    public static AwsServiceException Denied(RepositoryAccess access, RepositoryAccessDecision decision) =>
        new(AwsErrorCodes.AccessDenied,
            $"User: {access.Caller.Principal} is not authorized to perform: {access.Action} on resource: {access.RepositoryArn} " + decision switch
            {
                RepositoryAccessDecision.ExplicitDenyInIdentityPolicy => "with an explicit deny in an identity-based policy",
                RepositoryAccessDecision.ExplicitDenyInRepositoryPolicy => "with an explicit deny in a resource-based policy",
                RepositoryAccessDecision.NoRepositoryPolicyAllows => $"because no resource-based policy allows the {access.Action} action",
                _ => $"because no identity-based policy allows the {access.Action} action",
            });

    private static AwsServiceException Invalid() =>
        new(AwsErrorCodes.InvalidParameter, "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
}
