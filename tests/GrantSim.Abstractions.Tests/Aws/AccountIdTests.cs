using GrantSim.Aws;

namespace GrantSim.Abstractions.Tests.Aws;

public sealed class AccountIdTests
{
    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool IsValid_AnyTwelveDigits_IsTrue(Generators.AccountNumber account) =>
        AccountId.IsValid(account.Value) && AccountId.Require(account.Value) == account.Value;

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool IsValid_WrongLengthOrNonAsciiDigit_IsFalse(Generators.NotAnAccountNumber text) =>
        !AccountId.IsValid(text.Value);

    [Fact]
    public void IsValid_Null_IsFalse()
    {
        Assert.False(AccountId.IsValid(null));
    }

    [Theory]
    [InlineData("11112222333")]
    [InlineData("1111222233334")]
    [InlineData("11112222333a")]
    [InlineData("١١١١٢٢٢٢٣٣٣٣")]
    [InlineData(null)]
    public void Require_NotAnAccountId_IsValidationException(string? account)
    {
        var error = Assert.Throws<AwsServiceException>(() => AccountId.Require(account));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains("12 digits", error.Message, StringComparison.Ordinal);
    }
}
