namespace GrantSim.Client.Simulation;

/// <summary>The IAM roles every simulated tenant has, and what each may do.</summary>
public static class Roles
{
    /// <summary>Everything, including key administration (disable, schedule deletion, revoke).</summary>
    public const string Admin = "admin";

    /// <summary>ECR, plus the KMS permissions the documentation lists: DescribeKey, CreateGrant and RetireGrant.</summary>
    public const string Ci = "ci";

    /// <summary>
    /// ECR and DescribeKey/CreateGrant but not kms:RetireGrant: its deletes cannot retire the grants. It may also
    /// use (Encrypt, Decrypt, GenerateDataKey) any key tagged <see cref="DeployerTagKey"/>=<see cref="DeployerTagValue"/>:
    /// attribute-based access control through the aws:ResourceTag condition key.
    /// </summary>
    public const string Deployer = "deployer";

    public const string DeployerTagKey = "deploy";

    public const string DeployerTagValue = "yes";

    /// <summary>Pulls only.</summary>
    public const string Reader = "reader";

    public static IReadOnlyList<string> All { get; } = [Admin, Ci, Deployer, Reader];

    public static string PolicyFor(string role) => role switch
    {
        Admin => Policy(["*"]),
        Ci => Policy(["ecr:*", "kms:DescribeKey", "kms:CreateGrant", "kms:RetireGrant", "kms:ListAliases", "kms:ListKeys"]),
        Deployer => System.Text.Json.JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new object[]
            {
                new { Effect = "Allow", Action = new[] { "ecr:*", "kms:DescribeKey", "kms:CreateGrant" }, Resource = "*" },
                new
                {
                    Effect = "Allow",
                    Action = new[] { "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey" },
                    Resource = "*",
                    Condition = new { StringEquals = new Dictionary<string, string> { ["aws:ResourceTag/" + DeployerTagKey] = DeployerTagValue } },
                },
            },
        }),
        Reader => Policy(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:BatchCheckLayerAvailability"]),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    private static string Policy(IReadOnlyList<string> actions) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[] { new { Effect = "Allow", Action = actions, Resource = "*" } },
        });
}
