using GrantSim.Ecr;
using static GrantSim.Domain.Tests.Ecr.LifecyclePolicyParserTests;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class LifecyclePolicyEvaluatorTests
{
    private static LifecycleImage Pushed(string name, int daysAgo, params string[] tags) => new("sha256:" + name, tags, T0.AddDays(-daysAgo));

    private static string[] Expired(string policy, params LifecycleImage[] images) =>
        LifecyclePolicyEvaluator.Evaluate(LifecyclePolicyParser.Parse(policy), images, T0).Select(e => e.ImageDigest["sha256:".Length..]).ToArray();

    private static readonly LifecycleImage[] GuideRepository = [Pushed("A", 10, "beta-1", "prod-1"), Pushed("B", 9, "beta-2", "prod-2"), Pushed("C", 8, "beta-3")];

    [Fact]
    public void GuideExampleA_ARuleCannotExpireWhatAHigherPriorityRuleSelected()
    {
        var policy = Policy(
            Rule(1, """{"tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":1}"""),
            Rule(2, """{"tagStatus":"tagged","tagPrefixList":["beta"],"countType":"imageCountMoreThan","countNumber":1}"""));

        Assert.Equal(["A"], Expired(policy, GuideRepository));
    }

    [Fact]
    public void GuideExampleB_TheHigherPriorityRuleSeesEverythingFirst()
    {
        var policy = Policy(
            Rule(1, """{"tagStatus":"tagged","tagPrefixList":["beta"],"countType":"imageCountMoreThan","countNumber":1}"""),
            Rule(2, """{"tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":1}"""));

        Assert.Equal(["A", "B"], Expired(policy, GuideRepository));
    }

    [Fact]
    public void GuideMultipleTags_EveryPrefixMustMatchATag_AgeRule()
    {
        var policy = Policy(Rule(1, """{"tagStatus":"tagged","tagPrefixList":["alpha","beta"],"countType":"sinceImagePushed","countUnit":"days","countNumber":5}"""));

        Assert.Equal(["C"], Expired(policy, Pushed("A", 12, "alpha-1"), Pushed("B", 11, "beta-1"), Pushed("C", 10, "alpha-2", "beta-2"),
            Pushed("D", 4, "alpha-3"), Pushed("E", 3, "beta-3"), Pushed("F", 2, "alpha-4", "beta-4")));
    }

    [Fact]
    public void GuideMultipleTags_TagsAreNotExclusive_CountRule()
    {
        var policy = Policy(Rule(1, """{"tagStatus":"tagged","tagPrefixList":["alpha","beta"],"countType":"imageCountMoreThan","countNumber":1}"""));

        Assert.Equal(["A", "B"], Expired(policy, Pushed("A", 10, "alpha-1", "beta-1", "gamma-1"), Pushed("B", 9, "alpha-2", "beta-2"), Pushed("C", 8, "alpha-3", "beta-3", "gamma-2")));
    }

    [Fact]
    public void UntaggedRule_LeavesTaggedImagesAlone_AndAnAgeIsStrictlyOlderThan()
    {
        var policy = Policy(Rule(1, """{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14}"""));

        Assert.Equal(["old"], Expired(policy, Pushed("old", 15), Pushed("exactly", 14), Pushed("tagged", 30, "v1"), Pushed("young", 1)));
    }

    [Fact]
    public void AnyRule_CountsEveryImage_ButExpiresOnlyThoseNoHigherRuleSelected()
    {
        var policy = Policy(
            Rule(1, """{"tagStatus":"tagged","tagPatternList":["release-*"],"countType":"imageCountMoreThan","countNumber":10}"""),
            Rule(2, """{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2}"""));

        Assert.Equal(["dev1", "dev2"], Expired(policy, Pushed("rel1", 9, "release-1"), Pushed("dev1", 8, "dev-1"), Pushed("dev2", 7), Pushed("rel2", 6, "release-2"), Pushed("dev3", 5, "dev-3")));
    }

    [Fact]
    public void TheExpirationNamesTheRuleItsTagsAndTheEvaluationTime()
    {
        var expired = Assert.Single(LifecyclePolicyEvaluator.Evaluate(
            LifecyclePolicyParser.Parse(Policy(Rule(7, """{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1}"""))),
            [Pushed("old", 2, "v1", "latest-old"), Pushed("new", 1, "v2")], T0));

        Assert.Equal("sha256:old", expired.ImageDigest);
        Assert.Equal(["latest-old", "v1"], expired.ImageTags);
        Assert.Equal(T0.AddDays(-2), expired.ImagePushedAt);
        Assert.Equal(7, expired.AppliedRulePriority);
        Assert.Equal(T0, expired.EvaluatedAt);
    }

    // ---- properties ----

    private static readonly string[] TagAlphabet = ["prod-1", "prod-2", "beta-1", "beta-2", "dev", "latest"];

    /// <summary>A repository from bytes: each byte an image, its tags a subset of a small alphabet, pushed 0..30 days ago (same days repeat, so ties happen).</summary>
    private static LifecycleImage[] Images(byte[] seed) =>
        (seed ?? []).Take(24).Select((b, i) => new LifecycleImage(
            $"sha256:{i:D2}",
            TagAlphabet.Where((_, bit) => ((b >> bit) & 1) == 1 && (b & 0xC0) != 0).ToArray(),
            T0.AddDays(-(b % 31)))).ToArray();

    /// <summary>A valid policy from bytes: up to four tagged rules with distinct prefixes, perhaps one untagged rule, perhaps an any rule last.</summary>
    private static LifecyclePolicy RandomPolicy(byte[] seed)
    {
        var bytes = (seed ?? []).Take(6).ToArray();
        string[] prefixes = ["prod", "beta", "dev", "lat"];
        var rules = new List<LifecycleRule>();
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var countType = b % 2 == 0 ? LifecycleCountType.ImageCountMoreThan : LifecycleCountType.SinceImagePushed;
            var count = 1 + (b / 2 % 20);
            var priority = (i * 3) + 1 + (b % 3);
            var kind = (b / 40) % 6;
            if (kind < 4 && i < prefixes.Length)
            {
                rules.Add(new LifecycleRule(priority, null, LifecycleTagStatus.Tagged, [prefixes[i]], [], countType, count));
            }
            else if (kind == 4 && rules.All(r => r.TagStatus != LifecycleTagStatus.Untagged))
            {
                rules.Add(new LifecycleRule(priority, null, LifecycleTagStatus.Untagged, [], [], countType, count));
            }
        }

        if (bytes.Length > 0 && bytes[0] % 5 == 0)
        {
            rules.Add(new LifecycleRule(100, null, LifecycleTagStatus.Any, [], [], LifecycleCountType.ImageCountMoreThan, 1 + (bytes[0] % 7)));
        }

        return new LifecyclePolicy(rules);
    }

    /// <summary>A single count rule keeps exactly the N most recently pushed images it selects, and expires every other one it selects.</summary>
    [Property(MaxTest = 300)]
    public bool ACountRule_KeepsTheNMostRecent_AndExpiresTheRest(byte[] repository, byte count, bool untagged)
    {
        var n = 1 + (count % 6);
        var rule = untagged
            ? new LifecycleRule(1, null, LifecycleTagStatus.Untagged, [], [], LifecycleCountType.ImageCountMoreThan, n)
            : new LifecycleRule(1, null, LifecycleTagStatus.Tagged, ["prod"], [], LifecycleCountType.ImageCountMoreThan, n);
        var images = Images(repository);
        var expired = LifecyclePolicyEvaluator.Evaluate(new LifecyclePolicy([rule]), images, T0).Select(e => e.ImageDigest).ToHashSet();

        var selected = images.Where(i => rule.Selects(i.Tags)).OrderByDescending(i => i.PushedAt).ThenByDescending(i => i.Digest, StringComparer.Ordinal).ToArray();
        var kept = selected.Take(n).Select(i => i.Digest);
        return expired.SetEquals(selected.Skip(n).Select(i => i.Digest))
            && !kept.Any(expired.Contains)
            && images.Where(i => !rule.Selects(i.Tags)).All(i => !expired.Contains(i.Digest));
    }

    /// <summary>An age rule expires exactly the images it selects that were pushed more than N days ago.</summary>
    [Property(MaxTest = 300)]
    public bool AnAgeRule_ExpiresOnlyWhatIsOlderThanNDays(byte[] repository, byte days)
    {
        var n = 1 + (days % 30);
        var rule = new LifecycleRule(1, null, LifecycleTagStatus.Any, [], [], LifecycleCountType.SinceImagePushed, n);
        var images = Images(repository);
        var expired = LifecyclePolicyEvaluator.Evaluate(new LifecyclePolicy([rule]), images, T0).Select(e => e.ImageDigest).ToHashSet();

        return images.All(i => expired.Contains(i.Digest) == (T0 - i.PushedAt > TimeSpan.FromDays(n)));
    }

    /// <summary>
    /// Any valid policy: each image is expired at most once, by a rule that selects it and that would mark it on its own,
    /// and never when a rule of higher priority (a lower number) selects it; and the result never depends on the images' order.
    /// </summary>
    [Property(MaxTest = 500)]
    public bool AnyPolicy_ExpiresEachImageByItsFirstSelectingRuleOnly_WhateverTheInputOrder(byte[] policySeed, byte[] repository, int shuffleSeed)
    {
        var policy = RandomPolicy(policySeed);
        var images = Images(repository);
        var expired = LifecyclePolicyEvaluator.Evaluate(policy, images, T0);
        var shuffled = images.OrderBy(_ => 0).ToArray();
        new Random(shuffleSeed).Shuffle(shuffled);
        var again = LifecyclePolicyEvaluator.Evaluate(policy, shuffled, T0);

        var byDigest = images.ToDictionary(i => i.Digest);
        var wellFormed = expired.Select(e => e.ImageDigest).Distinct().Count() == expired.Count
            && expired.All(e =>
            {
                var image = byDigest[e.ImageDigest];
                var rule = policy.Rules.Single(r => r.Priority == e.AppliedRulePriority);
                var firstSelecting = policy.Rules.OrderBy(r => r.Priority).First(r => r.Selects(image.Tags));
                var selectedOldestFirst = images.Where(i => rule.Selects(i.Tags)).OrderBy(i => i.PushedAt).ThenBy(i => i.Digest, StringComparer.Ordinal).ToArray();
                return firstSelecting == rule && LifecyclePolicyEvaluator.Marked(rule, selectedOldestFirst, T0).Contains(image);
            });
        var sameWhateverTheOrder = expired.Select(e => (e.ImageDigest, e.AppliedRulePriority)).SequenceEqual(again.Select(e => (e.ImageDigest, e.AppliedRulePriority)));
        var oldestFirst = expired.Zip(expired.Skip(1)).All(p => p.First.ImagePushedAt <= p.Second.ImagePushedAt);
        return wellFormed && sameWhateverTheOrder && oldestFirst;
    }

    /// <summary>The rules' order in the policy text does not matter: only their priorities do.</summary>
    [Property(MaxTest = 200)]
    public bool ThePolicysRuleOrder_DoesNotMatter(byte[] policySeed, byte[] repository)
    {
        var policy = RandomPolicy(policySeed);
        var reversed = new LifecyclePolicy(policy.Rules.Reverse().ToArray());
        var images = Images(repository);
        return LifecyclePolicyEvaluator.Evaluate(policy, images, T0).Select(e => e.ImageDigest)
            .SequenceEqual(LifecyclePolicyEvaluator.Evaluate(reversed, images, T0).Select(e => e.ImageDigest));
    }
}
