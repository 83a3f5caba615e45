using System.Collections.Immutable;

namespace GrantSim.Ecr;

/// <summary>A private registry's settings (one account, one Region), as the registry grain stores them.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RegistrySettings")]
public sealed record RegistrySettings(
    [property: Id(0)] string? PolicyText,
    [property: Id(1)] ReplicationConfiguration Replication,
    [property: Id(2)] ImmutableArray<RepositoryCreationTemplate> Templates)
{
    public static RegistrySettings Empty { get; } = new(null, ReplicationConfiguration.None, ImmutableArray<RepositoryCreationTemplate>.Empty);
}
