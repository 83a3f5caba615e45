using GrantSim.Paging;

namespace GrantSim.Domain.Tests.Paging;

public sealed class OffsetPagesTests
{
    [Property(MaxTest = 200)]
    public Property FollowingTheCursors_ReadsEveryItemOnce_InOrder(NonNegativeInt count, PositiveInt limit)
    {
        var items = Enumerable.Range(0, count.Get % 250).ToArray();
        var size = limit.Get % 40 + 1;
        var read = new List<int>();
        string? cursor = null;
        var pages = 0;
        do
        {
            Assert.True(OffsetPages.TryReadCursor(cursor, out var start));
            var (page, next) = OffsetPages.Cut(items, size, start);
            Assert.True(page.Count <= size);
            Assert.True(next is null || page.Count == size, "only the last page is short");
            read.AddRange(page);
            cursor = next;
            pages++;
        }
        while (cursor is not null);

        return (read.SequenceEqual(items) && pages == Math.Max(1, (items.Length + size - 1) / size)).ToProperty();
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1.0")]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public void ACursorThisPagingDidNotIssue_IsRefused(string cursor) => Assert.False(OffsetPages.TryReadCursor(cursor, out _));

    [Fact]
    public void ACursorPastTheEnd_IsAnEmptyLastPage()
    {
        var (page, next) = OffsetPages.Cut([1, 2, 3], 2, 7);

        Assert.Empty(page);
        Assert.Null(next);
    }
}
