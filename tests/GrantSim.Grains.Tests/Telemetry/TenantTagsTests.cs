using GrantSim.Telemetry;

namespace GrantSim.Grains.Tests.Telemetry;

public sealed class TenantTagsTests
{
    [Fact]
    public void For_KeepsTheFirstTenantsSeen_AndFoldsLaterOnesIntoOther()
    {
        var tags = new TenantTags(limit: 2);

        Assert.Equal("111111111111", tags.For("111111111111"));
        Assert.Equal("222222222222", tags.For("222222222222"));
        Assert.Equal(TenantTags.Other, tags.For("333333333333"));
        Assert.Equal("111111111111", tags.For("111111111111"));
        Assert.Equal(TenantTags.Other, tags.For("333333333333"));
    }

    [Fact]
    public void For_FromManyThreadsAtOnce_NeverKeepsMoreThanTheLimit()
    {
        var tags = new TenantTags(limit: 10);
        var accounts = Enumerable.Range(0, 200).Select(i => (100_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var seen = accounts.AsParallel().SelectMany(a => new[] { tags.For(a), tags.For(a) }).Distinct().ToArray();

        Assert.Equal(11, seen.Length); // ten tenants and "other"
        Assert.Contains(TenantTags.Other, seen);
    }

    [Fact]
    public void Constructor_RefusesANegativeLimit() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TenantTags(-1));
}
