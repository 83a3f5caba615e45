using System.Collections.Immutable;

namespace GrantSim.Model.Tests.Model;

public enum ModelEncryption
{
    Aes256,
    Kms,
    KmsDsse,
}

/// <summary>A live repository in the model: its encryption, key, its two grants, and the pushes whose images it holds.</summary>
public sealed record ModelRepository(ModelEncryption Encryption, string? KeySym, string? RegistryGrant, string? StorageGrant, ImmutableHashSet<int> Images);
