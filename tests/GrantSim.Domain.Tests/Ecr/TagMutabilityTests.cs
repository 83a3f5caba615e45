using System.Text.RegularExpressions;
using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class TagMutabilityTests
{
    private const string Repository = "app";
    private const string DigestA = "sha256:aaaa";
    private const string DigestB = "sha256:bbbb";

    /// <summary>Tags and wildcard filters over a tiny alphabet, so that matches are frequent.</summary>
    public sealed record Case(ImageTagMutability Mutability, IReadOnlyList<string> Filters, string Tag)
    {
        public RepositorySettings Settings => new()
        {
            ImageTagMutability = Mutability,
            ExclusionFilters = [.. Filters.Select(f => new ImageTagMutabilityExclusionFilter(ImageTagMutabilities.Wildcard, f))],
        };

        public override string ToString() => $"{Mutability.ToWire()} [{string.Join(", ", Filters)}] '{Tag}'";
    }

    public sealed record Pattern(string Value, string Text)
    {
        public override string ToString() => $"'{Value}' ~ '{Text}'";
    }

    public static class Arbitraries
    {
        private static Gen<string> StringOf(string alphabet, int min, int max) => Generators.StringOf(alphabet, min, max);

        public static Arbitrary<Case> Cases() =>
            (from mutability in Gen.Elements(Enum.GetValues<ImageTagMutability>())
             from count in Gen.Choose(mutability.HasExclusions() ? 1 : 0, mutability.HasExclusions() ? 5 : 0)
             from filters in Gen.ListOf(StringOf("ab.*-", 1, 5), count)
             from tag in StringOf("ab.-", 1, 6)
             select new Case(mutability, filters.ToArray(), tag)).ToArbitrary();

        public static Arbitrary<Pattern> Patterns() =>
            (from pattern in StringOf("ab.*-", 0, 7)
             from text in StringOf("ab.-", 0, 8)
             select new Pattern(pattern, text)).ToArbitrary();
    }

    // ---- wildcard matching ----

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public bool Wildcard_AgreesWithARegularExpression_WhereStarIsAnyRun(Pattern p)
    {
        var oracle = "^" + string.Concat(p.Value.Select(c => c == '*' ? ".*" : Regex.Escape(c.ToString()))) + "$";
        return Wildcards.Matches(p.Value, p.Text) == Regex.IsMatch(p.Text, oracle, RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public bool Wildcard_WithoutAStar_MatchesOnlyItself(Pattern p) =>
        p.Value.Contains('*') || Wildcards.Matches(p.Value, p.Text) == (p.Value == p.Text);

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public bool Wildcard_ATagWithAnyPartReplacedByAStar_StillMatches(Pattern p, byte from, byte length)
    {
        var text = p.Text;
        var start = text.Length == 0 ? 0 : from % (text.Length + 1);
        var cut = Math.Min(length % 4, text.Length - start);
        return Wildcards.Matches(text[..start] + "*" + text[(start + cut)..], text);
    }

    [Theory]
    [InlineData("dev-*", "dev-1", true)]
    [InlineData("dev-*", "dev-", true)]
    [InlineData("dev-*", "prod-dev-1", false)]
    [InlineData("*-rc", "1.0-rc", true)]
    [InlineData("latest", "latest", true)]
    [InlineData("latest", "Latest", false)]
    [InlineData("latest", "latest2", false)]
    [InlineData("*", "anything", true)]
    [InlineData("v*.*", "v1.2", true)]
    [InlineData("v*.*", "v12", false)]
    public void Wildcard_Examples(string pattern, string tag, bool matches) =>
        Assert.Equal(matches, Wildcards.Matches(pattern, tag));

    // ---- which tags are immutable ----

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public bool IsImmutable_FollowsTheSettingAndItsExclusions(Case c)
    {
        var excluded = c.Filters.Any(f => Wildcards.Matches(f, c.Tag));
        var expected = c.Mutability switch
        {
            ImageTagMutability.Mutable => false,
            ImageTagMutability.Immutable => true,
            ImageTagMutability.ImmutableWithExclusion => !excluded,
            _ => excluded,
        };
        return TagMutability.IsImmutable(c.Settings, c.Tag) == expected;
    }

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public bool IsImmutable_TheTwoExclusionSettings_AreExactOpposites(Case c)
    {
        var filters = c.Filters.Count == 0 ? ["a*"] : c.Filters;
        var immutable = new Case(ImageTagMutability.ImmutableWithExclusion, filters, c.Tag).Settings;
        var mutable = new Case(ImageTagMutability.MutableWithExclusion, filters, c.Tag).Settings;
        return TagMutability.IsImmutable(immutable, c.Tag) != TagMutability.IsImmutable(mutable, c.Tag);
    }

    // ---- the rule PutImage applies ----

    [Property(Arbitrary = new[] { typeof(Arbitraries) })]
    public void RequireTagMayMove_RefusesExactlyTheMovesOfImmutableTags(Case c)
    {
        var state = Tagged(c.Settings, c.Tag, DigestA);

        // Moving the tag to another image: refused exactly when the tag is immutable.
        var error = Record.Exception(() => TagMutability.RequireTagMayMove(state, Repository, DigestB, c.Tag));
        if (TagMutability.IsImmutable(c.Settings, c.Tag))
        {
            var refused = Assert.IsType<AwsServiceException>(error);
            Assert.Equal(AwsErrorCodes.ImageTagAlreadyExists, refused.ErrorCode);
            Assert.Equal($"The image tag '{c.Tag}' already exists in the '{Repository}' repository and cannot be overwritten because the repository is immutable.", refused.Message);
        }
        else
        {
            Assert.Null(error);
        }

        // The same image again, a tag not yet used, and no tag at all are never a move.
        TagMutability.RequireTagMayMove(state, Repository, DigestA, c.Tag);
        TagMutability.RequireTagMayMove(state, Repository, DigestB, c.Tag + "-new");
        TagMutability.RequireTagMayMove(state, Repository, DigestB, null);
    }

    [Fact]
    public void RequireTagMayMove_AStateStoredBeforeSettingsExisted_IsMutable()
    {
        var state = Tagged(RepositorySettings.Default, "v1", DigestA) with { Settings = null! };

        TagMutability.RequireTagMayMove(state, Repository, DigestB, "v1");
        Assert.Same(RepositorySettings.Default, RepositorySettingsRules.Of(state));
    }

    // ---- setting it ----

    [Theory]
    [InlineData(ImageTagMutability.ImmutableWithExclusion)]
    [InlineData(ImageTagMutability.MutableWithExclusion)]
    public void With_AnExclusionSettingWithoutFilters_IsRefused(ImageTagMutability mutability)
    {
        var error = Assert.Throws<AwsServiceException>(() => TagMutability.With(RepositorySettings.Default, mutability, []));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Contains("imageTagMutabilityExclusionFilters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ImageTagMutability.Mutable)]
    [InlineData(ImageTagMutability.Immutable)]
    public void With_FiltersOnASettingWithoutExclusions_AreRefused(ImageTagMutability mutability)
    {
        var error = Assert.Throws<AwsServiceException>(() =>
            TagMutability.With(RepositorySettings.Default, mutability, [new ImageTagMutabilityExclusionFilter(ImageTagMutabilities.Wildcard, "dev-*")]));
        Assert.Equal(AwsErrorCodes.InvalidParameter, error.ErrorCode);
    }

    [Fact]
    public void With_KeepsTheOtherSettings_AndReplacesTheFilters()
    {
        var before = RepositorySettings.Default with
        {
            ScanOnPush = true,
            ImageTagMutability = ImageTagMutability.MutableWithExclusion,
            ExclusionFilters = [new ImageTagMutabilityExclusionFilter(ImageTagMutabilities.Wildcard, "old")],
        };

        var after = TagMutability.With(before, ImageTagMutability.ImmutableWithExclusion, [new ImageTagMutabilityExclusionFilter(ImageTagMutabilities.Wildcard, "latest")]);

        Assert.True(after.ScanOnPush);
        Assert.Equal(ImageTagMutability.ImmutableWithExclusion, after.ImageTagMutability);
        Assert.Equal("latest", Assert.Single(after.ExclusionFilters).Filter);
        Assert.Empty(TagMutability.With(after, ImageTagMutability.Immutable, null).ExclusionFilters);
    }

    private static RepositoryState Tagged(RepositorySettings settings, string tag, string digest) =>
        RepositoryLifecycle.CreateAes256(Guid.NewGuid(), Samples.T0, "arn:aws:iam::111122223333:root") with
        {
            Settings = settings,
            Tags = RepositoryState.Absent.Tags.SetItem(tag, digest),
        };
}
