namespace GrantSim.Kms;

/// <summary>The KMS key states the simulation models (of KMS's <c>KeyState</c> enum; Creating, Unavailable and the replica states are not).</summary>
public enum KeyState
{
    Enabled,
    Disabled,
    PendingDeletion,

    /// <summary>The deletion window ended: the key material is destroyed and the key is gone (DescribeKey says NotFound).</summary>
    Deleted,

    /// <summary>A key of Origin EXTERNAL without its material: created so, or its imported material deleted or expired. Nothing it encrypted can be decrypted until the same material is imported again.</summary>
    PendingImport,
}
