namespace GrantSim.Ecr;

/// <summary>ECR's Repository shape.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryDescription")]
public sealed record RepositoryDescription(
    [property: Id(0)] string RepositoryArn,
    [property: Id(1)] string RegistryId,
    [property: Id(2)] string RepositoryName,
    [property: Id(3)] string RepositoryUri,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] EncryptionConfiguration EncryptionConfiguration)
{
    /// <summary>Tag mutability, exclusion filters, scan on push and resource tags, as the repository stores them.</summary>
    [Id(10)] public RepositorySettings Settings { get; init; } = RepositorySettings.Default;
}
