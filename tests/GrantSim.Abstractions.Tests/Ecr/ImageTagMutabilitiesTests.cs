using GrantSim.Ecr;

namespace GrantSim.Abstractions.Tests.Ecr;

public sealed class ImageTagMutabilitiesTests
{
    [Theory]
    [InlineData(ImageTagMutability.Mutable, "MUTABLE", false)]
    [InlineData(ImageTagMutability.Immutable, "IMMUTABLE", false)]
    [InlineData(ImageTagMutability.ImmutableWithExclusion, "IMMUTABLE_WITH_EXCLUSION", true)]
    [InlineData(ImageTagMutability.MutableWithExclusion, "MUTABLE_WITH_EXCLUSION", true)]
    public void ToWire_AndTryParse_RoundTrip_AndTheExclusionSettingsAreKnown(ImageTagMutability mutability, string wire, bool hasExclusions)
    {
        Assert.Equal(wire, mutability.ToWire());
        Assert.True(ImageTagMutabilities.TryParse(wire, out var parsed));
        Assert.Equal(mutability, parsed);
        Assert.Equal(hasExclusions, mutability.HasExclusions());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mutable")]
    [InlineData("IMMUTABLE_WITH_EXCLUSIONS")]
    public void TryParse_AnythingElse_IsNotAMutability(string? wire) =>
        Assert.False(ImageTagMutabilities.TryParse(wire, out _));

    [Fact]
    public void RepositorySettings_Default_IsMutable_WithoutScanningFiltersOrTags()
    {
        var settings = RepositorySettings.Default;
        Assert.Equal(ImageTagMutability.Mutable, settings.ImageTagMutability);
        Assert.Empty(settings.ExclusionFilters);
        Assert.False(settings.ScanOnPush);
        Assert.Empty(settings.ResourceTags);
    }

    [Fact]
    public void RepositorySettings_AreEqualByValue_NotByTheirCollectionsIdentity()
    {
        RepositorySettings Make(string filter, string tagValue) => new()
        {
            ImageTagMutability = ImageTagMutability.ImmutableWithExclusion,
            ExclusionFilters = [new ImageTagMutabilityExclusionFilter(ImageTagMutabilities.Wildcard, filter)],
            ResourceTags = RepositorySettings.Default.ResourceTags.Add("team", tagValue),
        };

        Assert.Equal(Make("dev-*", "a"), Make("dev-*", "a"));
        Assert.Equal(Make("dev-*", "a").GetHashCode(), Make("dev-*", "a").GetHashCode());
        Assert.NotEqual(Make("dev-*", "a"), Make("dev-*", "b"));
        Assert.NotEqual(Make("dev-*", "a"), Make("rc-*", "a"));
        Assert.NotEqual(Make("dev-*", "a"), Make("dev-*", "a") with { ScanOnPush = true });
    }
}
