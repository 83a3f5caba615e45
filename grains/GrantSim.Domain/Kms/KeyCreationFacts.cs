namespace GrantSim.Kms;

/// <summary>The facts a new key starts from.</summary>
public sealed record KeyCreationFacts(string KeyId, string Account, string Region, KeyManager Manager, string Description, string Policy, IReadOnlyList<KeyTag>? Tags = null, string? KeySpec = null, string? KeyUsage = null, string? Origin = null, bool MultiRegion = false, byte[]? ReplicaMaterial = null);
