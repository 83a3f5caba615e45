namespace GrantSim.Ecr;

[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.CreateRepositoryRequest")]
public sealed record CreateRepositoryRequest(
    [property: Id(0)] string RepositoryName,
    [property: Id(1)] EncryptionConfiguration? EncryptionConfiguration = null)
{
    /// <summary>Tag mutability, exclusion filters, scan on push and resource tags to create it with; null means ECR's defaults.</summary>
    [Id(10)] public RepositorySettings? Settings { get; init; }
}
