namespace GrantSim.Ecr;

/// <summary>A manifest as pushed and pulled: its exact bytes, media type and digest.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageManifest")]
public sealed record ImageManifest(
    [property: Id(0)] string Digest,
    [property: Id(1)] string MediaType,
    [property: Id(2)] byte[] Content);
