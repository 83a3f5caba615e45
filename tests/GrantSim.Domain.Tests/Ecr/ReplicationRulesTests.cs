using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ReplicationRulesTests
{
    private const string Account = "111122223333";

    private static ReplicationRule Rule(string[] filters, params (string Region, string Registry)[] destinations) =>
        new(destinations.Select(d => new ReplicationDestination(d.Region, d.Registry)).ToArray(),
            filters.Select(f => new RepositoryFilter(f, RepositoryFilter.PrefixMatch)).ToArray());

    [Fact]
    public void ARuleWithoutFilters_MatchesEveryRepository()
    {
        var rule = Rule([], (Regions.UsWest2, Account));
        Assert.True(ReplicationRules.Matches(rule, "anything"));
        Assert.True(ReplicationRules.Matches(rule, "team/app"));
    }

    [Theory]
    [InlineData("prod", "prod/app", true)]
    [InlineData("prod", "production", true)]
    [InlineData("prod", "pro", false)]
    [InlineData("prod", "dev/prod", false)]
    public void PrefixMatch_IsAPlainPrefixOfTheName(string filter, string repository, bool matches) =>
        Assert.Equal(matches, ReplicationRules.Matches(Rule([filter], (Regions.UsWest2, Account)), repository));

    [Fact]
    public void DestinationsFor_UnitesTheMatchingRules_OnceEach()
    {
        var configuration = new ReplicationConfiguration(
        [
            Rule(["prod"], (Regions.UsWest2, Account), (Regions.EuWest1, Account)),
            Rule([], (Regions.UsWest2, Account), (Regions.UsWest2, "444455556666")),
            Rule(["dev"], ("ap-south-1", Account)),
        ]);

        var destinations = ReplicationRules.DestinationsFor(configuration, "prod/app");

        Assert.Equal(
            [new ReplicationDestination(Regions.UsWest2, Account), new ReplicationDestination(Regions.EuWest1, Account), new ReplicationDestination(Regions.UsWest2, "444455556666")],
            destinations);
        Assert.Equal(2, ReplicationRules.DestinationsFor(configuration, "other").Count);
    }

    [Property]
    public bool DestinationsFor_AreExactlyThoseOfRulesWhoseFilterStartsTheName(bool[] withFilter, int nameChoice)
    {
        string[] names = ["a", "ab", "b", "a/b"];
        var name = names[Math.Abs(nameChoice % names.Length)];
        var rules = withFilter.Select((filtered, i) => Rule(filtered ? [names[i % names.Length]] : [], ($"us-east-{1 + (i % 2)}", (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
        var expected = rules.Where(r => r.RepositoryFilters.Count == 0 || name.StartsWith(r.RepositoryFilters[0].Filter, StringComparison.Ordinal))
            .SelectMany(r => r.Destinations).ToHashSet();
        return ReplicationRules.DestinationsFor(new ReplicationConfiguration(rules), name).ToHashSet().SetEquals(expected);
    }

    [Fact]
    public void EveryRegionGrantSimServes_InTheSourcesPartition_IsAValidDestination()
    {
        foreach (var region in Regions.All.Where(r => Regions.PartitionOf(r) == Partition.Aws && r != Regions.UsEast1))
        {
            ReplicationRules.Validate(new ReplicationConfiguration([Rule([], (region, Account))]), Account, Regions.UsEast1);
        }
    }

    [Theory]
    [InlineData("mars-north-1", Account, "is not a Region")]
    [InlineData("cn-north-1", Account, "cannot cross partitions")]
    [InlineData("us-gov-west-1", Account, "cannot cross partitions")]
    [InlineData("us-east-1", Account, "cannot replicate to itself")]
    public void ADestinationGrantSimCannotReach_IsInvalidParameter(string region, string registry, string why)
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            ReplicationRules.Validate(new ReplicationConfiguration([Rule([], (region, registry))]), Account, Regions.UsEast1));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameRegionInAnotherAccount_IsCrossAccountReplication()
    {
        var configuration = new ReplicationConfiguration([Rule([], (Regions.UsEast1, "444455556666"))]);
        Assert.Same(configuration, ReplicationRules.Validate(configuration, Account, Regions.UsEast1));
    }

    [Fact]
    public void MoreThan25UniqueDestinations_AreRefused_AndRepeatsCountOnce()
    {
        var regions = Regions.All.Where(r => Regions.PartitionOf(r) == Partition.Aws && r != Regions.UsEast1).ToArray();
        var twentyFive = Enumerable.Range(0, ReplicationRules.MaxUniqueDestinations).Select(i => (regions[i % regions.Length], (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        ReplicationRules.Validate(new ReplicationConfiguration([Rule([], twentyFive), Rule(["a"], twentyFive)]), Account, Regions.UsEast1);

        var twentySix = twentyFive.Append((Regions.UsWest2, "999999999999")).ToArray();
        var error = Assert.Throws<AwsServiceException>(() => ReplicationRules.Validate(new ReplicationConfiguration([Rule([], twentySix)]), Account, Regions.UsEast1));
        Assert.Contains("25 unique destinations", error.Message, StringComparison.Ordinal);
    }
}
