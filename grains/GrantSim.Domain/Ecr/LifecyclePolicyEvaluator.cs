namespace GrantSim.Ecr;

/// <summary>An image as a lifecycle policy sees it: its digest, its tags and when it was pushed.</summary>
public sealed record LifecycleImage(string Digest, IReadOnlyList<string> Tags, DateTimeOffset PushedAt);

/// <summary>
/// ECR's lifecycle policy evaluator ("Lifecycle policy evaluation rules" of the ECR User Guide):
/// <list type="bullet">
/// <item>every rule selects the images its tag selection takes in, all at once, whatever its priority;</item>
/// <item>the rules are then applied by priority, lowest number first, and an image is expired by one rule or none;</item>
/// <item>an image that a rule selects cannot be expired by a rule of lower priority (a higher number), but that
/// rule still counts it ("identifies it as if it had not been expired");</item>
/// <item>expiry goes by push time, older images before newer ones: <c>imageCountMoreThan</c> keeps the N most
/// recently pushed images it selects and marks the rest; <c>sinceImagePushed</c> marks those pushed more than N days before the evaluation.</item>
/// </list>
/// Images pushed at the same instant are ordered by digest, so the result never depends on the input's order.
/// </summary>
public static class LifecyclePolicyEvaluator
{
    public static IReadOnlyList<LifecycleExpiration> Evaluate(LifecyclePolicy policy, IEnumerable<LifecycleImage> images, DateTimeOffset now)
    {
        var oldestFirst = images.OrderBy(i => i.PushedAt).ThenBy(i => i.Digest, StringComparer.Ordinal).ToArray();
        var selectedByHigherRule = new HashSet<string>(StringComparer.Ordinal);
        var expiredBy = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rule in policy.Rules.OrderBy(r => r.Priority))
        {
            var selected = oldestFirst.Where(i => rule.Selects(i.Tags)).ToArray();
            foreach (var image in Marked(rule, selected, now))
            {
                if (!selectedByHigherRule.Contains(image.Digest))
                {
                    expiredBy.TryAdd(image.Digest, rule.Priority);
                }
            }

            selectedByHigherRule.UnionWith(selected.Select(i => i.Digest));
        }

        return oldestFirst.Where(i => expiredBy.ContainsKey(i.Digest))
            .Select(i => new LifecycleExpiration(i.Digest, i.Tags.Order(StringComparer.Ordinal).ToArray(), i.PushedAt, expiredBy[i.Digest], now))
            .ToArray();
    }

    /// <summary>The images (oldest first) that the rule alone would expire among those it selects.</summary>
    public static IEnumerable<LifecycleImage> Marked(LifecycleRule rule, IReadOnlyList<LifecycleImage> selectedOldestFirst, DateTimeOffset now) =>
        rule.CountType switch
        {
            LifecycleCountType.ImageCountMoreThan => selectedOldestFirst.Count > rule.CountNumber
                ? selectedOldestFirst.Take(selectedOldestFirst.Count - (int)rule.CountNumber)
                : [],
            _ => selectedOldestFirst.Where(i => (now - i.PushedAt).TotalDays > rule.CountNumber),
        };
}
