using System.Collections.Immutable;

namespace GrantSim.Kms;

/// <summary>
/// A KMS key's persisted state. <see cref="Material"/> (256 bits) never leaves the key grain;
/// <see cref="TokenSecret"/> authenticates the grant tokens the key issues. Both are wiped when
/// the key is deleted. Transitions live in <see cref="KeyLifecycle"/>, rotation in
/// <see cref="KeyRotations"/>. Members added after the first stored keys are nullable, so a key
/// stored before them reads as untagged and never rotated.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KmsKey")]
public sealed record KmsKey(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Account,
    [property: Id(2)] string Region,
    [property: Id(3)] KeyManager Manager,
    [property: Id(4)] string Description,
    [property: Id(5)] string Policy,
    [property: Id(6)] KeyState State,
    [property: Id(7)] DateTimeOffset CreationDate,
    [property: Id(8)] DateTimeOffset? DeletionDate,
    [property: Id(9)] int? PendingWindowInDays,
    [property: Id(10)] byte[] Material,
    [property: Id(11)] byte[] TokenSecret)
{
    /// <summary>The key's tags (TagResource), ordered by tag key.</summary>
    [Id(12)] public ImmutableSortedDictionary<string, string>? Tags { get; init; }

    /// <summary>Automatic rotation's period; null when automatic rotation is off.</summary>
    [Id(13)] public int? RotationPeriodInDays { get; init; }

    /// <summary>When automatic rotation next rotates the material (set while it is on).</summary>
    [Id(14)] public DateTimeOffset? NextRotationDate { get; init; }

    /// <summary>Completed rotations, oldest first: the material version in use is their count.</summary>
    [Id(15)] public ImmutableList<KeyRotation>? Rotations { get; init; }

    /// <summary>The key spec; null for SYMMETRIC_DEFAULT. An asymmetric key's <see cref="Material"/> is its private key (PKCS#8), an HMAC key's its secret.</summary>
    [Id(16)] public string? Spec { get; init; }

    /// <summary>The key usage; null for ENCRYPT_DECRYPT.</summary>
    [Id(17)] public string? Usage { get; init; }

    /// <summary>AWS_KMS, or EXTERNAL for imported material; null means AWS_KMS.</summary>
    [Id(18)] public string? OriginName { get; init; }

    /// <summary>The private half of the current import parameters' wrapping key (PKCS#8), and its algorithm, expiry and token id.</summary>
    [Id(19)] public byte[]? ImportWrappingKey { get; init; }

    [Id(20)] public string? ImportWrappingAlgorithm { get; init; }

    [Id(21)] public DateTimeOffset? ImportParametersValidTo { get; init; }

    [Id(22)] public string? ImportTokenId { get; init; }

    /// <summary>A keyed digest of the first imported material: a re-import must match it.</summary>
    [Id(23)] public byte[]? MaterialFingerprint { get; init; }

    /// <summary>When the imported material expires (KEY_MATERIAL_EXPIRES).</summary>
    [Id(24)] public DateTimeOffset? MaterialValidTo { get; init; }

    /// <summary>A multi-Region key: its id begins mrk- and its material is shared by the family's keys in other Regions.</summary>
    [Id(25)] public bool MultiRegion { get; init; }

    public string Origin => OriginName ?? KeyMetadata.AwsKmsOrigin;

    public KeySpecs.Spec KeySpec => KeySpecs.Of(Spec);

    public string KeyUsage => Usage ?? KeySpecs.EncryptDecrypt;

    public bool IsSymmetric => Spec is null or KeySpecs.SymmetricDefault;

    public ImmutableSortedDictionary<string, string> TagSet => Tags ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableList<KeyRotation> RotationList => Rotations ?? [];

    /// <summary>The material version new encryptions use.</summary>
    public int CurrentMaterialVersion => Rotations?.Count ?? 0;

    public string Arn => Aws.Arn.KmsKey(Region, Account, KeyId).ToString();

    public KeyMetadata ToMetadata() =>
        new(KeyId, Arn, Account, Region, Manager, State, CreationDate, DeletionDate, PendingWindowInDays, Description) { Spec = Spec, Usage = Usage, Origin = Origin, ValidTo = MaterialValidTo, MultiRegion = MultiRegion };
}
