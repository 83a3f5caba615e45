namespace GrantSim.Ecr;

/// <summary>Which images a lifecycle rule selects by their tags.</summary>
public enum LifecycleTagStatus
{
    Tagged,
    Untagged,
    Any,
}

/// <summary>How a lifecycle rule decides which selected images expire: beyond a count, or older than an age.</summary>
public enum LifecycleCountType
{
    ImageCountMoreThan,
    SinceImagePushed,
}

/// <summary>
/// One validated rule of a lifecycle policy. A tagged rule has either prefixes or patterns (never both);
/// every one of them must match at least one of an image's tags for the rule to select it.
/// </summary>
public sealed record LifecycleRule(
    int Priority,
    string? Description,
    LifecycleTagStatus TagStatus,
    IReadOnlyList<string> TagPrefixes,
    IReadOnlyList<string> TagPatterns,
    LifecycleCountType CountType,
    long CountNumber)
{
    /// <summary>Whether the rule's tag selection takes in an image with these tags.</summary>
    public bool Selects(IReadOnlyCollection<string> tags) => TagStatus switch
    {
        LifecycleTagStatus.Any => true,
        LifecycleTagStatus.Untagged => tags.Count == 0,
        _ => tags.Count > 0
            && TagPrefixes.All(prefix => tags.Any(tag => tag.StartsWith(prefix, StringComparison.Ordinal)))
            && TagPatterns.All(pattern => tags.Any(tag => TagPattern.Matches(pattern, tag))),
    };
}

/// <summary>A validated lifecycle policy: its rules in priority order (lowest number first).</summary>
public sealed record LifecyclePolicy(IReadOnlyList<LifecycleRule> Rules);

/// <summary>ECR's tag patterns: literal characters, and <c>*</c> for any run of characters (none included).</summary>
public static class TagPattern
{
    public const char Wildcard = '*';

    /// <summary>Matches without backtracking blow-up: the classic two-pointer walk that remembers the last star only.</summary>
    public static bool Matches(string pattern, string tag)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < tag.Length)
        {
            if (p < pattern.Length && pattern[p] == Wildcard)
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && pattern[p] == tag[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == Wildcard)
        {
            p++;
        }

        return p == pattern.Length;
    }

    public static int WildcardCount(string pattern) => pattern.Count(c => c == Wildcard);
}
