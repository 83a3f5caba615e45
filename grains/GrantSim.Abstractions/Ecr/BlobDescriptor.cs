namespace GrantSim.Ecr;

/// <summary>A stored object (layer or config blob) of a repository, by its content digest.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.BlobDescriptor")]
public sealed record BlobDescriptor(
    [property: Id(0)] string Digest,
    [property: Id(1)] long Size);
