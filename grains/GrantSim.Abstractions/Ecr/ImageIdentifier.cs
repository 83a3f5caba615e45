namespace GrantSim.Ecr;

[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageIdentifier")]
public sealed record ImageIdentifier(
    [property: Id(0)] string? ImageDigest = null,
    [property: Id(1)] string? ImageTag = null);
