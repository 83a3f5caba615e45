using System.Text.Json;
using GrantSim.Aws;
using GrantSim.Iam;

namespace GrantSim.Kms;

/// <summary>The key policies KMS writes when none is given.</summary>
public static class DefaultKeyPolicies
{
    /// <summary>KMS's default policy: the account root may do everything, which also enables IAM policies.</summary>
    public static string CustomerManaged(string partition, string account) => Serialize(new
    {
        Version = "2012-10-17",
        Id = "key-default-1",
        Statement = new object[]
        {
            new
            {
                Sid = "Enable IAM User Permissions",
                Effect = "Allow",
                Principal = new { AWS = Arn.AccountRoot(partition, account).ToString() },
                Action = "kms:*",
                Resource = "*",
            },
        },
    });

    /// <summary>
    /// The policy of the AWS managed key <c>alias/aws/ecr</c>: every principal of the account may
    /// use it, but only through ECR in this region (kms:ViaService) — so it is not usable directly;
    /// the account may read its metadata and revoke its grants.
    /// </summary>
    public static string AwsManagedEcr(string partition, string account, string region) => Serialize(new
    {
        Version = "2012-10-17",
        Id = "auto-ecr-1",
        Statement = new object[]
        {
            new
            {
                Sid = "Allow access through Amazon ECR for all principals in the account that are authorized to use Amazon ECR",
                Effect = "Allow",
                Principal = new { AWS = "*" },
                Action = new[] { "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" },
                Resource = "*",
                Condition = new Dictionary<string, Dictionary<string, string>>
                {
                    ["StringEquals"] = new()
                    {
                        [ConditionKeys.KmsCallerAccount] = account,
                        [ConditionKeys.KmsViaService] = Regions.EcrServicePrincipal(region),
                    },
                },
            },
            new
            {
                Sid = "Allow direct access to key metadata to the account",
                Effect = "Allow",
                Principal = new { AWS = Arn.AccountRoot(partition, account).ToString() },
                Action = new[] { "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" },
                Resource = "*",
            },
        },
    });

    private static string Serialize(object policy) =>
        JsonSerializer.Serialize(policy, new JsonSerializerOptions { WriteIndented = true });
}
