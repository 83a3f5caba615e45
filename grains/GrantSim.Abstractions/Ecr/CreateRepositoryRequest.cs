namespace GrantSim.Ecr;

[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.CreateRepositoryRequest")]
public sealed record CreateRepositoryRequest(
    [property: Id(0)] string RepositoryName,
    [property: Id(1)] EncryptionConfiguration? EncryptionConfiguration = null);
