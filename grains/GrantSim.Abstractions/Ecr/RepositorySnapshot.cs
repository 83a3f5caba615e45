namespace GrantSim.Ecr;

/// <summary>
/// A repository's internal state, for invariant checks and the demos (not an AWS API): status,
/// the resolved configuration, its grants and images.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositorySnapshot")]
public sealed record RepositorySnapshot(
    [property: Id(0)] string Account,
    [property: Id(1)] string Region,
    [property: Id(2)] string RepositoryName,
    [property: Id(3)] RepositoryStatus Status,
    [property: Id(4)] RepositoryDescription? Repository,
    [property: Id(5)] IReadOnlyList<RepositoryGrant> Grants,
    [property: Id(6)] IReadOnlyList<ImageDetail> Images,
    [property: Id(7)] int BlobCount,
    [property: Id(8)] Guid Incarnation,
    [property: Id(9)] IReadOnlyList<string> BlobDigests);
