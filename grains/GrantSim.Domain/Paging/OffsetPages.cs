using System.Globalization;

namespace GrantSim.Paging;

/// <summary>
/// Pages of a list whose cursor (KMS's Marker, ECR's nextToken) is the offset of the next item: the one
/// way ListKeys, ListAliases, ListRetirableGrants, DescribeRepositories, ListImages and DescribeImages
/// cut their answers. (ListGrants pages by grant sequence instead: see <c>GrantListing</c>.)
/// </summary>
public static class OffsetPages
{
    /// <summary>No cursor is the first page; a cursor must be an offset this paging issued (digits only).</summary>
    public static bool TryReadCursor(string? cursor, out int start)
    {
        if (cursor is null)
        {
            start = 0;
            return true;
        }

        return int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out start);
    }

    /// <summary>At most <paramref name="limit"/> items from <paramref name="start"/>, and the cursor of the next page (null on the last).</summary>
    public static (IReadOnlyList<T> Page, string? Next) Cut<T>(IReadOnlyList<T> items, int limit, int start)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        var page = items.Skip(start).Take(limit).ToArray();
        var next = start + page.Length;
        return (page, next < items.Count ? next.ToString(CultureInfo.InvariantCulture) : null);
    }
}
