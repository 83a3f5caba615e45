namespace GrantSim.Ecr;

/// <summary>An image of a repository: its manifest (stored as an object) and what the manifest references.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageEntry")]
public sealed record ImageEntry(
    [property: Id(0)] string ManifestDigest,
    [property: Id(1)] string MediaType,
    [property: Id(2)] long ManifestSize,
    [property: Id(3)] string? ConfigDigest,
    [property: Id(4)] IReadOnlyList<string> LayerDigests,
    [property: Id(5)] DateTimeOffset PushedAt);
