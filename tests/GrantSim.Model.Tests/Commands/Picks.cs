namespace GrantSim.Model.Tests.Commands;

/// <summary>How a command names a key: the forms KMS accepts, the default key, and references that lead nowhere.</summary>
public enum KeyForm
{
    Id,
    Alias,
    Arn,
    AliasArn,
    Default,
    MissingAlias,
    MissingId,
    OtherRegionArn,
    OtherAccountArn,
}

/// <summary>
/// The key at <see cref="Index"/> (modulo how many there are when the command runs) of the command's account and
/// region, or, when <see cref="Latest"/>, the customer key created last there.
/// </summary>
public sealed record KeyPick(int Index, KeyForm Form, bool Latest = false)
{
    public override string ToString() => Form switch
    {
        KeyForm.Default => "default key",
        KeyForm.MissingAlias => "alias/missing",
        KeyForm.MissingId => "unknown key id",
        _ => $"{(Latest ? "the latest key" : $"key#{Index}")} by {Form}",
    };
}

/// <summary>
/// The grant at <see cref="Index"/> (modulo the grants of the account and region when the command
/// runs, or only the tenants' own grants when <see cref="TenantOnly"/>), or one that does not exist.
/// </summary>
public sealed record GrantPick(int Index, bool Missing, bool TenantOnly = false, bool Latest = false)
{
    public override string ToString() =>
        Missing ? "unknown grant" : Latest ? (TenantOnly ? "the latest tenant grant" : "the latest grant") : TenantOnly ? $"tenant grant#{Index}" : $"grant#{Index}";
}

public enum KeyChange
{
    Disable,
    Enable,
    ScheduleDeletion,
    CancelDeletion,

    /// <summary>RotateKeyOnDemand: new material; every older ciphertext must still decrypt.</summary>
    RotateOnDemand,

    /// <summary>EnableKeyRotation every 90 days, on the simulated clock.</summary>
    EnableRotation,
    DisableRotation,

    /// <summary>DeleteImportedKeyMaterial: the key is PendingImport and its data unreadable.</summary>
    DeleteImportedMaterial,

    /// <summary>GetParametersForImport and ImportKeyMaterial of the key's own material: readable again.</summary>
    ImportMaterial,

    /// <summary>TagResource deploy=yes: the deployer's identity policy lets it use keys with that tag (aws:ResourceTag).</summary>
    TagForDeployer,
    UntagForDeployer,
}

/// <summary>The four image tag mutability settings (ECR's MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION).</summary>
public enum TagMode
{
    Mutable,
    Immutable,
    ImmutableWithExclusion,
    MutableWithExclusion,
}

/// <summary>A lifecycle rule's count type: <c>imageCountMoreThan</c> or <c>sinceImagePushed</c>.</summary>
public enum LifecycleKind
{
    CountMoreThan,
    SinceImagePushed,
}

/// <summary>A replication destination: an account's registry in a region.</summary>
public sealed record ModelDestination(int Account, int Region);

public static class Picks
{
    /// <summary>The tags <see cref="PushTagged"/> uses: several images may name each, so pushes move them.</summary>
    public static readonly string[] SharedTags = ["latest", "release-1"];

    /// <summary>The one exclusion filter of the "with exclusion" mutability settings: matches "release-1", not "latest" or t<i>n</i>.</summary>
    public const string ExclusionFilter = "release-*";
}
