namespace GrantSim.Model.Tests.Model;

/// <summary>
/// What the reference model knows of the world, written from docs/spec.md and the roles the
/// simulation gives every tenant (client/Simulation/Roles.cs): names, error names, who may do what.
/// </summary>
public static class Facts
{
    public static readonly string[] Regions = ["us-east-1", "eu-west-1", "us-gov-west-1"];

    public const int Accounts = 3;

    public static bool IsGovCloud(int region) => Regions[region].StartsWith("us-gov-", StringComparison.Ordinal);

    // Exception names (SPEC §2, §3, §5).
    public const string Ok = "OK";
    public const string AccessDenied = "AccessDeniedException";
    public const string NotFound = "NotFoundException";
    public const string Disabled = "DisabledException";
    public const string InvalidState = "KMSInvalidStateException";
    public const string Validation = "ValidationException";
    public const string AlreadyExists = "RepositoryAlreadyExistsException";
    public const string RepositoryNotFound = "RepositoryNotFoundException";
    public const string NotEmpty = "RepositoryNotEmptyException";
    public const string InvalidParameter = "InvalidParameterException";
    public const string ImageNotFound = "ImageNotFoundException";
    public const string LimitExceeded = "LimitExceededException";
    public const string Unsupported = "UnsupportedOperationException";
    public const string ImageAlreadyExists = "ImageAlreadyExistsException";
    public const string ImageTagAlreadyExists = "ImageTagAlreadyExistsException";
    public const string RepositoryPolicyNotFound = "RepositoryPolicyNotFoundException";
    public const string RegistryPolicyNotFound = "RegistryPolicyNotFoundException";

    /// <summary>Replication does not cross partitions (GovCloud and the commercial regions).</summary>
    public static bool SamePartition(int region, int other) => IsGovCloud(region) == IsGovCloud(other);

    /// <summary>On-demand rotations KMS allows per key.</summary>
    public const int MaxOnDemandRotations = 25;

    public static string Kms(string kmsError) => $"KmsException({kmsError})";

    public static readonly string[] TransientErrors = ["ThrottlingException", "KMSInternalException", "DependencyTimeoutException"];

    /// <summary>
    /// The identity policies of the tenant roles: admin everything; ci ECR plus DescribeKey, CreateGrant, RetireGrant;
    /// deployer the same without RetireGrant, and Encrypt, Decrypt and GenerateDataKey on keys tagged deploy=yes
    /// (<paramref name="keyTaggedForDeployer"/>: attribute-based access control); reader pulls.
    /// </summary>
    public static bool IamAllows(Principal principal, string action, bool keyTaggedForDeployer = false) => principal switch
    {
        Principal.Admin => true,
        Principal.Ci => action.StartsWith("ecr:", StringComparison.Ordinal) || action is "kms:DescribeKey" or "kms:CreateGrant" or "kms:RetireGrant" or "kms:ListAliases" or "kms:ListKeys",
        Principal.Deployer => action.StartsWith("ecr:", StringComparison.Ordinal) || action is "kms:DescribeKey" or "kms:CreateGrant"
            || (keyTaggedForDeployer && action is "kms:Encrypt" or "kms:Decrypt" or "kms:GenerateDataKey"),
        Principal.Reader => action is "ecr:BatchGetImage" or "ecr:GetDownloadUrlForLayer" or "ecr:DescribeRepositories" or "ecr:DescribeImages" or "ecr:BatchCheckLayerAvailability",
        _ => false,
    };

    /// <summary>ECR actions: the account root may do all; roles as their policies say.</summary>
    public static bool MayUseEcr(Principal principal, string action) => principal == Principal.Root || IamAllows(principal, action);
}
