using GrantSim.Aws;
using GrantSim.Iam;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>
/// The private registry policy: an IAM resource policy (read by <see cref="PolicyParser"/>) through which a registry
/// lets other accounts replicate into it. GrantSim reads it with the registry permission scope that covers replication
/// and pull through cache only, so a statement may name only the actions that scope enforces.
/// </summary>
public static class RegistryPolicies
{
    /// <summary>The actions a registry policy enforces: replication's, and pull through cache's import.</summary>
    public static IReadOnlyList<string> EnforcedActions { get; } =
        [EcrOperations.Action(EcrOperations.ReplicateImage), EcrOperations.Action(EcrOperations.CreateRepository), "ecr:BatchImportUpstreamImage"];

    /// <summary>
    /// The replication service's role in an account (its service-linked role): who ECR acts as when it replicates an
    /// account's images, and as whom it creates a destination repository without a template's custom role.
    /// Its permissions policy allows ecr:CreateRepository and ecr:ReplicateImage on every resource.
    /// </summary>
    public static CallerIdentity ReplicationRole(string partition, string account) =>
        new(Arn.IamPrincipal(partition, AccountId.Require(account), "role/aws-service-role/replication.ecr.amazonaws.com/AWSServiceRoleForECRReplication").ToString());

    /// <summary>Parses and checks a registry policy; anything it cannot accept is ECR's InvalidParameterException.</summary>
    public static PolicyDocument Validate(string policyText)
    {
        PolicyDocument policy;
        try
        {
            policy = PolicyParser.Parse(policyText);
        }
        catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.MalformedPolicyDocument)
        {
            throw Invalid(error.Message);
        }

        foreach (var statement in policy.Statements)
        {
            if (statement.Principals is null)
            {
                throw Invalid($"statement {statement.Sid ?? "(no Sid)"} has no Principal: a registry policy names the accounts it grants");
            }

            if (statement.NotActions)
            {
                throw Invalid($"statement {statement.Sid ?? "(no Sid)"} uses NotAction");
            }

            foreach (var action in statement.Actions)
            {
                if (!EnforcedActions.Any(enforced => WildcardPattern.IsMatch(action, enforced, ignoreCase: true)))
                {
                    throw Invalid($"the action '{action}' is not one a registry policy grants ({string.Join(", ", EnforcedActions)})");
                }
            }
        }

        return policy;
    }

    /// <summary>
    /// Whether a registry policy lets another account's replication perform <paramref name="action"/> on a repository of
    /// this registry: no policy allows nothing; an explicit Deny wins; a statement naming the replicating role, or its
    /// account (whose service-linked role's own policy allows replication), allows.
    /// </summary>
    public static bool AllowsReplication(PolicyDocument? policy, CallerIdentity replicator, string action, string repositoryArn)
    {
        if (policy is null)
        {
            return false;
        }

        var request = new AuthorizationRequest(replicator, action, repositoryArn, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:PrincipalAccount"] = replicator.Account ?? "",
            ["aws:SourceAccount"] = replicator.Account ?? "",
        });
        var decision = PolicyEvaluator.EvaluateResourcePolicy(policy, request);
        return !decision.ExplicitDeny && (decision.Allowed || decision.DelegatedToIam);
    }

    private static AwsServiceException Invalid(string why) =>
        new(AwsErrorCodes.InvalidParameter, $"Invalid parameter at 'policyText' failed to satisfy constraint: 'Invalid registry policy provided: {why}'");
}
