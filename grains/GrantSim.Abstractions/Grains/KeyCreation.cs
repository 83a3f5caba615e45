using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Grains;

/// <summary>
/// What a key grain is initialized with by its registry. Initializing twice with the same values is a no-op.
/// A multi-Region replica carries its primary's material (<see cref="ReplicaMaterial"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Grains.KeyCreation")]
public sealed record KeyCreation(
    [property: Id(0)] string KeyId,
    [property: Id(1)] KeyManager KeyManager,
    [property: Id(2)] string Description,
    [property: Id(3)] string Policy,
    [property: Id(4)] CallerIdentity Creator,
    [property: Id(5)] IReadOnlyList<KeyTag>? Tags = null,
    [property: Id(6)] string? KeySpec = null,
    [property: Id(7)] string? KeyUsage = null,
    [property: Id(8)] string? Origin = null,
    [property: Id(9)] bool MultiRegion = false,
    [property: Id(10)] byte[]? ReplicaMaterial = null);
