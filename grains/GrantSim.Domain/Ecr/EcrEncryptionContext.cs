using GrantSim.Kms;

namespace GrantSim.Ecr;

/// <summary>The encryption context ECR uses for every GenerateDataKey and Decrypt: the object and the repository.</summary>
public static class EcrEncryptionContext
{
    public const string S3ArnKey = "aws:s3:arn";
    public const string EcrArnKey = "aws:ecr:arn";

    public static EncryptionContext For(string objectArn, string repositoryArn) =>
        EncryptionContext.Of((S3ArnKey, objectArn), (EcrArnKey, repositoryArn));

    /// <summary>The constraint of both repository grants: any context naming this repository.</summary>
    public static GrantConstraints GrantConstraint(string repositoryArn) =>
        new(EncryptionContextSubset: EncryptionContext.Of((EcrArnKey, repositoryArn)));

    /// <summary>
    /// The repository an ECR grant is for: the ARN its constraint pins the context to (how the
    /// guide finds a repository's grants among all those on a key); null for any other grant.
    /// </summary>
    public static string? RepositoryArnOf(GrantListEntry grant) =>
        grant.Constraints?.EncryptionContextSubset?.GetValueOrDefault(EcrArnKey);
}
