namespace GrantSim.Kms;

/// <summary>DescribeKey's KeyMetadata. <see cref="Spec"/> and <see cref="Usage"/> are null for a symmetric encryption key.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyMetadata")]
public sealed record KeyMetadata(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Arn,
    [property: Id(2)] string AwsAccountId,
    [property: Id(3)] string Region,
    [property: Id(4)] KeyManager KeyManager,
    [property: Id(5)] KeyState KeyState,
    [property: Id(6)] DateTimeOffset CreationDate,
    [property: Id(7)] DateTimeOffset? DeletionDate,
    [property: Id(8)] int? PendingDeletionWindowInDays,
    [property: Id(9)] string Description)
{
    public bool Enabled => KeyState == KeyState.Enabled;

    [Id(10)] public string? Spec { get; init; }

    [Id(11)] public string? Usage { get; init; }

    /// <summary>AWS_KMS, or EXTERNAL for a key whose material is imported.</summary>
    [Id(12)] public string Origin { get; init; } = AwsKmsOrigin;

    /// <summary>When imported material expires (null: it does not, or the key's material is not imported).</summary>
    [Id(13)] public DateTimeOffset? ValidTo { get; init; }

    [Id(14)] public bool MultiRegion { get; init; }

    /// <summary>For a multi-Region key: the family's primary and replica Regions.</summary>
    [Id(15)] public MultiRegionConfiguration? MultiRegionConfiguration { get; init; }

    public const string AwsKmsOrigin = "AWS_KMS";

    public const string ExternalOrigin = "EXTERNAL";

    public string KeySpecName => Spec ?? KeySpecs.SymmetricDefault;

    public string KeyUsageName => Usage ?? KeySpecs.EncryptDecrypt;
}
