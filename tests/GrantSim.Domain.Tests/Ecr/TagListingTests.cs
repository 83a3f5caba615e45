using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class TagListingTests
{
    [Property]
    public bool Pages_FollowedByTheirLinks_GiveEveryTagOnceInLexicalOrder(string[] tags, PositiveInt pageSize)
    {
        var all = tags.Where(t => t is not null).ToArray();
        var seen = new List<string>();
        string? last = null;
        for (var pages = 0; pages <= all.Length + 1; pages++)
        {
            var (page, next) = TagListing.Page(all, pageSize.Get, last);
            if (page.Count > pageSize.Get)
            {
                return false;
            }

            seen.AddRange(page);
            if (next is null)
            {
                return seen.SequenceEqual(all.Distinct().Order(StringComparer.Ordinal));
            }

            last = next;
        }

        return false;
    }

    [Fact]
    public void Page_WithoutN_IsEveryTagAfterLast()
    {
        Assert.Equal("b,c|", Text(TagListing.Page(["c", "a", "b"], null, "a")));
        Assert.Equal("a,b,c|", Text(TagListing.Page(["c", "a", "b"], null, null)));
        Assert.Equal("b|b", Text(TagListing.Page(["c", "a", "b"], 1, "a")));
        Assert.Throws<ArgumentOutOfRangeException>(() => TagListing.Page(["a"], -1, null));
    }

    private static string Text((IReadOnlyList<string> Tags, string? NextLast) page) => string.Join(',', page.Tags) + "|" + page.NextLast;
}
