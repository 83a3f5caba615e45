using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class GrantBookTests
{
    [Fact]
    public void Empty_HasNothing_AndStartsAtSequenceZero()
    {
        Assert.Equal(0, GrantBook.Empty.Count);
        Assert.Equal(0, GrantBook.Empty.ActiveCount);
        Assert.Equal(0, GrantBook.Empty.NextSequence);
        Assert.Empty(GrantBook.Empty.All);
        Assert.Null(GrantBook.Empty.Find(ActiveGrant(0).GrantId));
    }

    [Fact]
    public void Put_AddsInSequenceOrder_AndFindsById()
    {
        var book = GrantBook.From([ActiveGrant(5), ActiveGrant(1), ActiveGrant(3)]);

        Assert.Equal(new long[] { 1, 3, 5 }, book.All.Select(g => g.Sequence));
        Assert.Equal(6, book.NextSequence);
        Assert.Equal(3, book.ActiveCount);
        Assert.Equal(3, book.Find(ActiveGrant(3).GrantId)!.Sequence);
    }

    [Fact]
    public void Put_EndedVersionOfAGrant_ReplacesItAndLowersTheActiveCount()
    {
        var book = GrantBook.From([ActiveGrant(0), ActiveGrant(1)]);

        var ended = book.Put(GrantLifecycle.End(ActiveGrant(0), GrantStatus.Retired, T0, EcrPrincipal));

        Assert.Equal(2, ended.Count);
        Assert.Equal(1, ended.ActiveCount);
        Assert.Equal(new[] { ActiveGrant(1).GrantId }, ended.Active.Select(g => g.GrantId));
        Assert.Equal(GrantStatus.Retired, ended.Find(ActiveGrant(0).GrantId)!.Status);
        Assert.Equal(2, book.ActiveCount);
    }

    [Fact]
    public void Put_TheSameGrantTwice_CountsItOnce()
    {
        var book = GrantBook.Empty.Put(ActiveGrant(0)).Put(ActiveGrant(0));

        Assert.Equal(1, book.Count);
        Assert.Equal(1, book.ActiveCount);
    }

    [Fact]
    public void Put_AGrantWithAnotherSequence_Throws()
    {
        var book = GrantBook.Empty.Put(ActiveGrant(0));

        Assert.Throws<InvalidOperationException>(() => book.Put(ActiveGrant(0) with { Sequence = 9 }));
    }

    [Fact]
    public void After_ReturnsLaterGrantsOldestFirst()
    {
        var book = GrantBook.From(Enumerable.Range(0, 10).Select(i => ActiveGrant(i)));

        Assert.Equal(new long[] { 7, 8, 9 }, book.After(6).Select(g => g.Sequence));
        Assert.Equal(10, book.After(-1).Count());
        Assert.Empty(book.After(9));
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool ActiveCount_AlwaysEqualsTheActiveGrants(bool[] endIt)
    {
        var book = GrantBook.Empty;
        for (var i = 0; i < endIt.Length; i++)
        {
            book = book.Put(ActiveGrant(i));
        }

        for (var i = 0; i < endIt.Length; i++)
        {
            if (endIt[i])
            {
                book = book.Put(GrantLifecycle.End(book.Find(ActiveGrant(i).GrantId)!, GrantStatus.Revoked, T0, Root.Principal));
            }
        }

        return book.ActiveCount == book.Active.Count() && book.ActiveCount == endIt.Count(e => !e) && book.Count == endIt.Length;
    }

    [Fact]
    public void Put_AnEndedGrantAgain_LeavesTheActiveCount()
    {
        var ended = GrantLifecycle.End(ActiveGrant(0), GrantStatus.Revoked, T0, Root.Principal);
        var book = GrantBook.From([ActiveGrant(0), ActiveGrant(1)]).Put(ended);

        var again = book.Put(ended);

        Assert.Equal(1, again.ActiveCount);
        Assert.Equal(2, again.Count);
    }

    [Fact]
    public void ForGrantee_AndNamed_FindTheirGrants_OldestFirst_EndedOnesIncluded()
    {
        var book = GrantBook.From([
            ActiveGrant(0, grantee: "arn:aws:iam::111122223333:role/a") with { Name = "n" },
            ActiveGrant(1, grantee: "arn:aws:iam::111122223333:role/b"),
            ActiveGrant(2, grantee: "arn:aws:iam::111122223333:role/a") with { Name = "n" },
        ]);
        book = book.Put(GrantLifecycle.End(book.Find(ActiveGrant(0).GrantId)!, GrantStatus.Revoked, T0, EcrPrincipal));

        Assert.Equal(new long[] { 0, 2 }, book.ForGrantee("arn:aws:iam::111122223333:role/a").Select(g => g.Sequence));
        Assert.Equal(GrantStatus.Revoked, book.ForGrantee("arn:aws:iam::111122223333:role/a").First().Status);
        Assert.Equal(new long[] { 0, 2 }, book.Named("n").Select(g => g.Sequence));
        Assert.Empty(book.ForGrantee("arn:aws:iam::111122223333:role/none"));
        Assert.Empty(book.Named("other"));
    }

    [Theory]
    [InlineData(-1, new long[] { 0, 1, 3 })]
    [InlineData(0, new long[] { 1, 3 })]
    [InlineData(2, new long[] { 3 })]
    [InlineData(3, new long[0])]
    [InlineData(long.MaxValue, new long[0])]
    public void After_GivesTheGrantsPastASequence_AtAnyMarker(long after, long[] expected)
    {
        var book = GrantBook.From([ActiveGrant(0), ActiveGrant(1), ActiveGrant(3)]);

        Assert.Equal(expected, book.After(after).Select(g => g.Sequence));
    }
}
