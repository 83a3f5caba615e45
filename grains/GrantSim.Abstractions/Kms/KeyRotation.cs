namespace GrantSim.Kms;

/// <summary>How a key's material was rotated (the model's RotationType).</summary>
public enum RotationType
{
    Automatic,
    OnDemand,
}

/// <summary>One completed rotation of a key's material: version <c>n</c> is the n-th rotation; version 0 is the material the key was created with.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyRotation")]
public sealed record KeyRotation([property: Id(0)] DateTimeOffset Date, [property: Id(1)] RotationType Type);

/// <summary>GetKeyRotationStatus's answer.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyRotationStatus")]
public sealed record KeyRotationStatus(
    [property: Id(0)] string KeyArn,
    [property: Id(1)] bool Enabled,
    [property: Id(2)] int? RotationPeriodInDays,
    [property: Id(3)] DateTimeOffset? NextRotationDate);

/// <summary>One entry of ListKeyRotations: a material version's id, when and how it became current (no rotation type for the material a key was created with), and whether it is current now.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyRotationEntry")]
public sealed record KeyRotationEntry(
    [property: Id(0)] string KeyArn,
    [property: Id(1)] string KeyMaterialId,
    [property: Id(2)] DateTimeOffset RotationDate,
    [property: Id(3)] RotationType? RotationType,
    [property: Id(4)] bool Current);

/// <summary>GetKeyLastUsage's answer: the key's last cryptographic operation, from the trail (null when it has had none).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyLastUsage")]
public sealed record KeyLastUsage(
    [property: Id(0)] string KeyArn,
    [property: Id(1)] DateTimeOffset KeyCreationDate,
    [property: Id(2)] string? Operation,
    [property: Id(3)] DateTimeOffset? Timestamp,
    [property: Id(4)] string? EventId);
