namespace GrantSim.Model.Tests.Model;

public enum KeyStatus
{
    Enabled,
    Disabled,
    PendingDeletion,
    Deleted,

    /// <summary>An imported-material key whose material was deleted: nothing it encrypted decrypts until the same material is imported.</summary>
    PendingImport,
}

/// <summary>A key in the model: symbolic name, where it lives, whether AWS manages it, its state and alias.</summary>
public sealed record ModelKey(string Sym, int Account, int Region, bool AwsManaged, KeyStatus Status, DateTimeOffset? DeletionAt, string Alias)
{
    /// <summary>Tagged deploy=yes, so the deployer's identity policy allows using it.</summary>
    public bool TaggedForDeployer { get; init; }

    public int OnDemandRotations { get; init; }

    /// <summary>Origin EXTERNAL: created with material imported at once; its material may be deleted and imported again.</summary>
    public bool External { get; init; }

    /// <summary>The imported material was deleted (so a cancelled deletion returns to PendingImport, not Disabled).</summary>
    public bool MaterialDeleted { get; init; }

    /// <summary>A key pending deletion is deleted once its window has passed.</summary>
    public KeyStatus StatusAt(DateTimeOffset now) =>
        Status == KeyStatus.PendingDeletion && DeletionAt is { } at && now >= at ? KeyStatus.Deleted : Status;
}
