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

    // Read back from a state stored before exclusions existed, the field is null (the serializer runs no initializer): none.
    [Id(3)] private readonly ImmutableSortedDictionary<string, DateTimeOffset>? _pullTimeExclusions;

    /// <summary>Principals whose pulls do not update an image's pull time, with when each was registered (<see cref="Ecr.PullTimeExclusions"/>).</summary>
    public ImmutableSortedDictionary<string, DateTimeOffset> PullTimeExclusions
    {
        get => _pullTimeExclusions ?? Ecr.PullTimeExclusions.Empty;
        init => _pullTimeExclusions = value;
    }

    [Id(4)] private readonly ImmutableSortedDictionary<string, string>? _accountSettings;

    /// <summary>The account settings put so far (<see cref="Ecr.AccountSettings"/>); a setting never put has its default.</summary>
    public ImmutableSortedDictionary<string, string> AccountSettings
    {
        get => _accountSettings ?? Ecr.AccountSettings.Empty;
        init => _accountSettings = value;
    }

    /// <summary>The managed-signing configuration (<see cref="SigningConfigurations"/>); none until one is put.</summary>
    [Id(5)] public SigningConfiguration? Signing { get; init; }
}
