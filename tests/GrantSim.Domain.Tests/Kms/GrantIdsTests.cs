using GrantSim.Kms;

namespace GrantSim.Domain.Tests.Kms;

public sealed class GrantIdsTests
{
    [Fact]
    public void New_Is64LowercaseHexDigits_AndFresh()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => GrantIds.New()).ToArray();

        Assert.All(ids, id =>
        {
            Assert.Equal(64, id.Length);
            Assert.True(GrantIds.IsWellFormed(id));
            Assert.Equal(id.ToLowerInvariant(), id);
        });
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void IsWellFormed_OtherThan64LowercaseHex_IsFalse(string? id)
    {
        Assert.False(GrantIds.IsWellFormed(id));
    }

    [Fact]
    public void IsWellFormed_64LowercaseHex_IsTrue()
    {
        Assert.True(GrantIds.IsWellFormed("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    }
}
