using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// A registry's replication configuration: what PutReplicationConfiguration accepts beyond the service model, and which
/// destinations a repository's pushes go to.
/// </summary>
public static class ReplicationRules
{
    /// <summary>The User Guide's quota: at most 25 unique destinations across all rules (the model allows 10 rules of 100 each).</summary>
    public const int MaxUniqueDestinations = 25;

    /// <summary>
    /// Checks a configuration for the registry of <paramref name="account"/> in <paramref name="region"/>: every destination
    /// a Region GrantSim serves, in the same partition (replication does not cross partitions), and not this registry itself.
    /// </summary>
    public static ReplicationConfiguration Validate(ReplicationConfiguration configuration, string account, string region)
    {
        foreach (var rule in configuration.Rules)
        {
            if (rule.Destinations.Count == 0)
            {
                throw Invalid("each replication rule needs at least one destination");
            }

            foreach (var destination in rule.Destinations)
            {
                if (!Regions.IsKnown(destination.Region))
                {
                    throw Invalid($"'{destination.Region}' is not a Region");
                }

                if (Regions.PartitionOf(destination.Region) != Regions.PartitionOf(region))
                {
                    throw Invalid($"replication cannot cross partitions: {destination.Region} is not in the partition of {region}");
                }

                if (!AccountId.IsValid(destination.RegistryId))
                {
                    throw Invalid($"'{destination.RegistryId}' is not a registry id (an account id of 12 digits)");
                }

                if (destination.Region == region && destination.RegistryId == account)
                {
                    throw Invalid($"a registry cannot replicate to itself ({account} in {region})");
                }
            }

            foreach (var filter in rule.RepositoryFilters)
            {
                if (filter.FilterType != RepositoryFilter.PrefixMatch)
                {
                    throw Invalid($"filterType must be {RepositoryFilter.PrefixMatch}");
                }
            }
        }

        var unique = configuration.Rules.SelectMany(r => r.Destinations).Distinct().Count();
        if (unique > MaxUniqueDestinations)
        {
            throw Invalid($"a replication configuration may have at most {MaxUniqueDestinations} unique destinations across its rules, not {unique}");
        }

        return configuration;
    }

    /// <summary>Whether a rule applies to a repository: it has no filter, or one of its prefixes starts the name.</summary>
    public static bool Matches(ReplicationRule rule, string repositoryName) =>
        rule.RepositoryFilters.Count == 0
        || rule.RepositoryFilters.Any(f => f.FilterType == RepositoryFilter.PrefixMatch && repositoryName.StartsWith(f.Filter, StringComparison.Ordinal));

    /// <summary>Every destination a push to <paramref name="repositoryName"/> replicates to, once each, in the configuration's order.</summary>
    public static IReadOnlyList<ReplicationDestination> DestinationsFor(ReplicationConfiguration configuration, string repositoryName) =>
        configuration.Rules.Where(rule => Matches(rule, repositoryName)).SelectMany(rule => rule.Destinations).Distinct().ToArray();

    private static AwsServiceException Invalid(string why) =>
        new(AwsErrorCodes.InvalidParameter, $"Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: '{why}'");
}
