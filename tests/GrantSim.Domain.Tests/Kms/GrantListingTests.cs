using GrantSim.Aws;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class GrantListingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void Validate_LimitOutsideOneToHundred_IsValidationException(int limit)
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantListing.Validate(new ListGrantsRequest(KeyId, Limit: limit)));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void Validate_LimitWithinOneToHundred_Passes(int limit)
    {
        Assert.Null(Record.Exception(() => GrantListing.Validate(new ListGrantsRequest(KeyId, Limit: limit))));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    public void Validate_MarkerNotFromListGrants_IsValidationException(string marker)
    {
        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => GrantListing.Validate(new ListGrantsRequest(KeyId, Marker: marker))).ErrorCode);
    }

    [Fact]
    public void Validate_MalformedGrantId_IsInvalidGrantId()
    {
        Assert.Equal(AwsErrorCodes.InvalidGrantId,
            Assert.Throws<AwsServiceException>(() => GrantListing.Validate(new ListGrantsRequest(KeyId, GrantId: "nope"))).ErrorCode);
    }

    [Fact]
    public void Page_ListsOnlyActiveGrantsInCreationOrder()
    {
        var book = GrantBook.From(Enumerable.Range(0, 5).Select(i => ActiveGrant(i)));
        book = book.Put(GrantLifecycle.End(ActiveGrant(2), GrantStatus.Retired, T0, EcrPrincipal));

        var page = GrantListing.Page(book, KeyId, new ListGrantsRequest(KeyId));

        Assert.Equal(new[] { 0, 1, 3, 4 }.Select(i => ActiveGrant(i).GrantId), page.Grants.Select(g => g.GrantId));
        Assert.All(page.Grants, g => Assert.Equal(KeyId, g.KeyId));
        Assert.Null(page.NextMarker);
        Assert.False(page.Truncated);
    }

    [Fact]
    public void Page_DefaultLimitIsFifty()
    {
        var book = GrantBook.From(Enumerable.Range(0, 60).Select(i => ActiveGrant(i)));

        var page = GrantListing.Page(book, KeyId, new ListGrantsRequest(KeyId));

        Assert.Equal(GrantListing.DefaultLimit, page.Grants.Count);
        Assert.Equal("49", page.NextMarker);
        Assert.True(page.Truncated);
    }

    [Fact]
    public void Page_ExactlyFull_HasNoNextMarker()
    {
        var book = GrantBook.From(Enumerable.Range(0, 3).Select(i => ActiveGrant(i)));

        var page = GrantListing.Page(book, KeyId, new ListGrantsRequest(KeyId, Limit: 3));

        Assert.Equal(3, page.Grants.Count);
        Assert.Null(page.NextMarker);
    }

    [Fact]
    public void Page_FiltersByGranteeAndGrantId()
    {
        var book = GrantBook.From([ActiveGrant(0), ActiveGrant(1, grantee: Alice.Principal), ActiveGrant(2), ActiveGrant(3, grantee: Alice.Principal)]);

        var byGrantee = GrantListing.Page(book, KeyId, new ListGrantsRequest(KeyId, GranteePrincipal: Alice.Principal));
        var byId = GrantListing.Page(book, KeyId, new ListGrantsRequest(KeyId, GrantId: ActiveGrant(2).GrantId));

        Assert.Equal(new long[] { 1, 3 }, byGrantee.Grants.Select(g => book.Find(g.GrantId)!.Sequence));
        Assert.Equal(ActiveGrant(2).GrantId, Assert.Single(byId.Grants).GrantId);
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Page_FollowingMarkers_ListsEveryActiveGrantOnceInOrder(bool[] ended, PositiveInt limit)
    {
        var book = GrantBook.Empty;
        for (var i = 0; i < ended.Length; i++)
        {
            var grant = ActiveGrant(i);
            book = book.Put(ended[i] ? GrantLifecycle.End(grant, GrantStatus.Revoked, T0, Root.Principal) : grant);
        }

        var request = new ListGrantsRequest(KeyId, Limit: 1 + (limit.Get % 7));
        var listed = new List<string>();
        for (var pages = 0; pages <= ended.Length + 1; pages++)
        {
            var page = GrantListing.Page(book, KeyId, request);
            if (page.Grants.Count > request.Limit || (page.NextMarker is not null && page.Grants.Count != request.Limit))
            {
                return false;
            }

            listed.AddRange(page.Grants.Select(g => g.GrantId));
            if (page.NextMarker is null)
            {
                return listed.SequenceEqual(book.Active.Select(g => g.GrantId));
            }

            request = request with { Marker = page.NextMarker };
        }

        return false;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Validate_LimitOutsideOneToHundred_NamesTheValueAndTheRange(int limit)
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantListing.Validate(new ListGrantsRequest(KeyId, Limit: limit)));

        Assert.Contains($"'{limit}' at 'limit'", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MarkerNotFromListGrants_NamesTheMarker()
    {
        var error = Assert.Throws<AwsServiceException>(() => GrantListing.Validate(new ListGrantsRequest(KeyId, Marker: "abc")));

        Assert.Contains("'abc'", error.Message, StringComparison.Ordinal);
    }
}
