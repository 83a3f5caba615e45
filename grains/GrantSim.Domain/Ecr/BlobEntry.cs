namespace GrantSim.Ecr;

[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.BlobEntry")]
public sealed record BlobEntry(
    [property: Id(0)] string Digest,
    [property: Id(1)] long Size,
    [property: Id(2)] StoredObjectKind Kind);
