namespace GrantSim.Ecr;

/// <summary>
/// The registry's <c>GET /v2/&lt;name&gt;/tags/list</c> as the OCI distribution spec pages it: every tag in lexical
/// (ordinal) order; <c>n</c> at most that many; <c>last</c> only tags after it. A page cut short by <c>n</c> says
/// which tag the next page starts after (its <c>Link: ...; rel="next"</c>).
/// </summary>
public static class TagListing
{
    public static (IReadOnlyList<string> Tags, string? NextLast) Page(IEnumerable<string> tags, int? n, string? last)
    {
        if (n < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "n must be zero or more.");
        }

        var after = tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(t => last is null || StringComparer.Ordinal.Compare(t, last) > 0).ToArray();
        if (n is not { } limit || after.Length <= limit)
        {
            return (after, null);
        }

        var page = after[..limit];
        return (page, limit == 0 ? last : page[^1]);
    }
}
