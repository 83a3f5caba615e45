namespace GrantSim.Ecr;

/// <summary>A resource tag on a repository (ECR's Tag shape: <c>Key</c>, <c>Value</c>); not an image tag.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryTag")]
public sealed record RepositoryTag([property: Id(0)] string Key, [property: Id(1)] string Value);
