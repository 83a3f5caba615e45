namespace GrantSim.Ecr;

/// <summary>One of a repository's grants as the repository knows it (never its token).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryGrant")]
public sealed record RepositoryGrant(
    [property: Id(0)] RepositoryGrantRole Role,
    [property: Id(1)] string Name,
    [property: Id(2)] string? GrantId,
    [property: Id(3)] bool Retired);
