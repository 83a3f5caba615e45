using GrantSim.Aws;

namespace GrantSim.Abstractions.Tests.Aws;

public sealed class AwsServiceExceptionTests
{
    [Theory]
    [InlineData(AwsErrorCodes.Throttling, true)]
    [InlineData(AwsErrorCodes.KmsInternal, true)]
    [InlineData(AwsErrorCodes.DependencyTimeout, true)]
    [InlineData(AwsErrorCodes.AccessDenied, false)]
    [InlineData(AwsErrorCodes.Disabled, false)]
    [InlineData(AwsErrorCodes.InvalidCiphertext, false)]
    public void IsTransient_OnlyForErrorsAnSdkRetries(string code, bool transient)
    {
        Assert.Equal(transient, AwsErrorCodes.IsTransient(code));
        Assert.Equal(transient, new AwsServiceException(code, "m").IsTransient);
    }

    [Fact]
    public void IsTransient_OfAKmsExceptionFollowsTheWrappedKmsError()
    {
        Assert.True(new AwsServiceException(AwsErrorCodes.Kms, "m", AwsErrorCodes.Throttling).IsTransient);
        Assert.False(new AwsServiceException(AwsErrorCodes.Kms, "m", AwsErrorCodes.AccessDenied).IsTransient);
    }

    [Fact]
    public void ToString_ShowsCodeKmsErrorAndMessage()
    {
        Assert.Equal("DisabledException: k is disabled.", new AwsServiceException(AwsErrorCodes.Disabled, "k is disabled.").ToString());
        Assert.Equal("KmsException (AccessDeniedException): no", new AwsServiceException(AwsErrorCodes.Kms, "no", AwsErrorCodes.AccessDenied).ToString());
        Assert.Equal("no", new AwsServiceException(AwsErrorCodes.Kms, "no").Message);
    }

    [Fact]
    public void Constructors_WithoutCode_AreServerException()
    {
        Assert.Equal(AwsErrorCodes.Server, new AwsServiceException().ErrorCode);
        Assert.Equal(AwsErrorCodes.Server, new AwsServiceException("m").ErrorCode);
        Assert.Equal(AwsErrorCodes.Server, new AwsServiceException("m", new InvalidOperationException()).ErrorCode);
    }
}
