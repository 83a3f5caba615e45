namespace GrantSim.Kms;

/// <summary>The KMS key states the simulation models (KMS's <c>KeyState</c> enum, symmetric keys only).</summary>
public enum KeyState
{
    Enabled,
    Disabled,
    PendingDeletion,

    /// <summary>The deletion window ended: the key material is destroyed and the key is gone (DescribeKey says NotFound).</summary>
    Deleted,
}
