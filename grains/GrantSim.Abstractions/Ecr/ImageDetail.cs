namespace GrantSim.Ecr;

[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageDetail")]
public sealed record ImageDetail(
    [property: Id(0)] string ImageDigest,
    [property: Id(1)] IReadOnlyList<string> ImageTags,
    [property: Id(2)] long ImageSizeInBytes,
    [property: Id(3)] DateTimeOffset ImagePushedAt,
    [property: Id(4)] string ImageManifestMediaType,
    [property: Id(5)] IReadOnlyList<string> LayerDigests,
    [property: Id(6)] string ConfigDigest);
