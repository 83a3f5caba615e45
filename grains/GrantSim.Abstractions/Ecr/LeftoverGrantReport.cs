namespace GrantSim.Ecr;

/// <summary>
/// What ECR reported when a repository was deleted but its grants could not be retired: the
/// documented message and the grants left on the key for manual retirement.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.LeftoverGrantReport")]
public sealed record LeftoverGrantReport(
    [property: Id(0)] string RepositoryName,
    [property: Id(1)] string RepositoryArn,
    [property: Id(2)] string KmsKeyArn,
    [property: Id(3)] IReadOnlyList<string> GrantIds,
    [property: Id(4)] string Message,
    [property: Id(5)] string KmsError,
    [property: Id(6)] DateTimeOffset ReportedAt);
