using GrantSim.Aws;

namespace GrantSim.Identity;

/// <summary>
/// Who makes a call: an IAM principal ARN (account root, user or role) or a service principal
/// such as <c>ecr.us-east-1.amazonaws.com</c>. <see cref="ViaService"/> is set when a service
/// makes the call on the principal's behalf (ECR calling KMS as the caller during
/// CreateRepository); it feeds the <c>kms:ViaService</c> condition and the audit trail's
/// <c>invokedBy</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.CallerIdentity")]
public sealed record CallerIdentity(
    [property: Id(0)] string Principal,
    [property: Id(1)] string? ViaService = null)
{
    // Service principals end with a partition's DNS suffix: ecr.us-east-1.amazonaws.com, ecr.cn-north-1.amazonaws.com.cn.
    private static readonly string[] ServicePrincipalSuffixes = [".amazonaws.com", ".amazonaws.com.cn"];

    public bool IsServicePrincipal => !Principal.StartsWith("arn:", StringComparison.Ordinal);

    public PrincipalKind Kind
    {
        get
        {
            if (IsServicePrincipal)
            {
                return PrincipalKind.AwsService;
            }

            var resource = Arn.TryParse(Principal, out var arn) ? arn.Resource : "";
            return resource == "root" ? PrincipalKind.AccountRoot
                : resource.StartsWith("role/", StringComparison.Ordinal) ? PrincipalKind.IamRole
                : PrincipalKind.IamUser;
        }
    }

    /// <summary>The account of an IAM principal; null for a service principal.</summary>
    public string? Account => !IsServicePrincipal && Arn.TryParse(Principal, out var arn) && AccountId.IsValid(arn.Account) ? arn.Account : null;

    /// <summary>The partition of an IAM principal; null for a service principal.</summary>
    public string? Partition => !IsServicePrincipal && Arn.TryParse(Principal, out var arn) ? arn.Partition : null;

    /// <summary>The same principal, with a service acting on its behalf.</summary>
    public CallerIdentity Via(string servicePrincipal) => this with { ViaService = servicePrincipal };

    public static CallerIdentity Root(string partition, string account) =>
        new(Arn.AccountRoot(partition, AccountId.Require(account)).ToString());

    public static CallerIdentity Role(string partition, string account, string roleName) =>
        new(Arn.IamPrincipal(partition, AccountId.Require(account), $"role/{roleName}").ToString());

    public static CallerIdentity User(string partition, string account, string userName) =>
        new(Arn.IamPrincipal(partition, AccountId.Require(account), $"user/{userName}").ToString());

    public static CallerIdentity Service(string servicePrincipal) => new(servicePrincipal);

    /// <summary>
    /// Checks the principal is well formed: an IAM ARN with a 12-digit account, or a service
    /// principal name. Anything else is what AWS answers for an unknown security token.
    /// </summary>
    public void Validate()
    {
        if (IsServicePrincipal)
        {
            if (!ServicePrincipalSuffixes.Any(suffix => Principal.EndsWith(suffix, StringComparison.Ordinal) && Principal.Length > suffix.Length))
            {
                throw Unrecognized();
            }

            return;
        }

        if (!Arn.TryParse(Principal, out var arn) || arn.Service != "iam" || !Aws.Partition.IsKnown(arn.Partition)
            || !AccountId.IsValid(arn.Account)
            || !(arn.Resource == "root" || arn.Resource.StartsWith("user/", StringComparison.Ordinal) || arn.Resource.StartsWith("role/", StringComparison.Ordinal))
            || arn.Resource.EndsWith('/'))
        {
            throw Unrecognized();
        }
    }

    /// <summary>Checks the principal may call a service endpoint in <paramref name="region"/> (same partition).</summary>
    public void ValidateFor(string region)
    {
        Validate();
        if (!IsServicePrincipal && Partition != Regions.PartitionOf(region))
        {
            throw new AwsServiceException(AwsErrorCodes.UnrecognizedClient,
                $"The security token included in the request is invalid: {Principal} belongs to partition '{Partition}', not to the partition of {region}.");
        }
    }

    private AwsServiceException Unrecognized() =>
        new(AwsErrorCodes.UnrecognizedClient, $"The security token included in the request is invalid: '{Principal}' is not a known kind of principal.");

    public override string ToString() => ViaService is null ? Principal : $"{Principal} via {ViaService}";
}
