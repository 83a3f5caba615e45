namespace GrantSim.Kms;

public static class KmsAliases
{
    public const string Prefix = "alias/";

    /// <summary>The AWS managed key ECR uses when a KMS repository names no key.</summary>
    public const string AwsEcr = "alias/aws/ecr";

    /// <summary>Names under <c>alias/aws/</c> belong to AWS managed keys; customers cannot create them.</summary>
    public const string AwsReservedPrefix = "alias/aws/";
}
