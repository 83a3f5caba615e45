using System.Diagnostics.CodeAnalysis;

namespace GrantSim.Aws;

/// <summary>
/// An Amazon Resource Name, <c>arn:partition:service:region:account:resource</c>. Every ARN
/// GrantSim builds or reads goes through this type, so the formats live in one place.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Arn")]
public readonly record struct Arn(
    [property: Id(0)] string Partition,
    [property: Id(1)] string Service,
    [property: Id(2)] string Region,
    [property: Id(3)] string Account,
    [property: Id(4)] string Resource)
{
    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";

    public static bool TryParse([NotNullWhen(true)] string? text, out Arn arn)
    {
        arn = default;
        if (text is null || !text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        // The resource part may itself hold ':' (e.g. S3 object keys with sha256: digests).
        var parts = text.Split(':', 6);
        if (parts.Length != 6 || parts[1].Length == 0 || parts[2].Length == 0 || parts[5].Length == 0)
        {
            return false;
        }

        arn = new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
        return true;
    }

    public static Arn Parse(string text) =>
        TryParse(text, out var arn)
            ? arn
            : throw new AwsServiceException(AwsErrorCodes.InvalidArn, $"'{text}' is not a valid ARN.");

    // Builders for the ARN kinds of the simulation.

    public static Arn KmsKey(string region, string account, string keyId) =>
        new(Regions.PartitionOf(region), "kms", region, account, $"key/{keyId}");

    public static Arn KmsAlias(string region, string account, string aliasName) =>
        new(Regions.PartitionOf(region), "kms", region, account, aliasName);

    public static Arn EcrRepository(string region, string account, string repositoryName) =>
        new(Regions.PartitionOf(region), "ecr", region, account, $"repository/{repositoryName}");

    public static Arn AccountRoot(string partition, string account) =>
        new(partition, "iam", "", account, "root");

    public static Arn IamPrincipal(string partition, string account, string principalPath) =>
        new(partition, "iam", "", account, principalPath);

    /// <summary>S3 object ARNs have no region or account: <c>arn:aws:s3:::bucket/key</c>.</summary>
    public static Arn S3Object(string partition, string bucket, string key) =>
        new(partition, "s3", "", "", $"{bucket}/{key}");

    public bool IsKmsKey => Service == "kms" && Resource.StartsWith("key/", StringComparison.Ordinal);

    public bool IsKmsAlias => Service == "kms" && Resource.StartsWith("alias/", StringComparison.Ordinal);

    /// <summary>The id after <c>key/</c> of a KMS key ARN.</summary>
    public string KeyId => IsKmsKey ? Resource["key/".Length..] : throw new InvalidOperationException($"{this} is not a KMS key ARN.");
}
