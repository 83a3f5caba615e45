using GrantSim.Kms;

namespace GrantSim.Audit;

/// <summary>
/// The request parameters the trail records. A closed set of fields, with no field for a grant
/// token or plaintext, so that neither can ever be recorded.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Audit.AuditRequestParameters")]
public sealed record AuditRequestParameters
{
    [Id(0)] public string? KeyId { get; init; }
    [Id(1)] public EncryptionContext? EncryptionContext { get; init; }
    [Id(2)] public string? GranteePrincipal { get; init; }
    [Id(3)] public string? RetiringPrincipal { get; init; }
    [Id(4)] public IReadOnlyList<string>? Operations { get; init; }
    [Id(5)] public GrantConstraints? Constraints { get; init; }
    [Id(6)] public string? GrantName { get; init; }
    [Id(7)] public string? GrantId { get; init; }
    [Id(8)] public string? KeySpec { get; init; }
    [Id(9)] public int? NumberOfBytes { get; init; }
    [Id(10)] public int? PendingWindowInDays { get; init; }
    [Id(11)] public string? AliasName { get; init; }
    [Id(12)] public string? TargetKeyId { get; init; }
    [Id(13)] public string? RepositoryName { get; init; }
    [Id(14)] public string? EncryptionType { get; init; }
    [Id(15)] public bool? Force { get; init; }
    [Id(16)] public string? Description { get; init; }
    [Id(17)] public string? ImageTag { get; init; }
    [Id(18)] public string? ImageDigest { get; init; }
    [Id(19)] public int? RotationPeriodInDays { get; init; }

    /// <summary>The tag keys a TagResource, UntagResource or CreateKey named (tag values are not recorded).</summary>
    [Id(20)] public IReadOnlyList<string>? TagKeys { get; init; }

    [Id(21)] public string? DestinationKeyId { get; init; }
    [Id(22)] public EncryptionContext? DestinationEncryptionContext { get; init; }

    /// <summary>The signing, MAC or key agreement algorithm a call named.</summary>
    [Id(23)] public string? Algorithm { get; init; }

    /// <summary>The Region ReplicateKey replicates to, or UpdatePrimaryRegion makes primary.</summary>
    [Id(24)] public string? ReplicaRegion { get; init; }
}
