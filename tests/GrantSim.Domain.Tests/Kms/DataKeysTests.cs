using GrantSim.Aws;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class DataKeysTests
{
    [Fact]
    public void Length_Aes256_Is32Bytes_AndAes128_Is16()
    {
        Assert.Equal(32, DataKeys.Length(new GenerateDataKeyRequest(KeyId)));
        Assert.Equal(32, DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: DataKeys.Aes256)));
        Assert.Equal(16, DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: DataKeys.Aes128)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(1024)]
    public void Length_NumberOfBytesWithinOneTo1024_IsThatNumber(int bytes)
    {
        Assert.Equal(bytes, DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: null, NumberOfBytes: bytes)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1025)]
    public void Length_NumberOfBytesOutsideOneTo1024_IsValidationException(int bytes)
    {
        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: null, NumberOfBytes: bytes))).ErrorCode);
    }

    [Fact]
    public void Length_BothOrNeitherOfKeySpecAndNumberOfBytes_IsValidationException()
    {
        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: DataKeys.Aes256, NumberOfBytes: 32))).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation,
            Assert.Throws<AwsServiceException>(() => DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: null))).ErrorCode);
    }

    [Theory]
    [InlineData("AES_512")]
    [InlineData("aes_256")]
    [InlineData("")]
    public void Length_UnknownKeySpec_IsValidationException(string spec)
    {
        var error = Assert.Throws<AwsServiceException>(() => DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: spec)));

        Assert.Equal(AwsErrorCodes.Validation, error.ErrorCode);
        Assert.Contains("keySpec", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_BothKeySpecAndNumberOfBytes_SaysNotBoth()
    {
        var error = Assert.Throws<AwsServiceException>(() => DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: DataKeys.Aes256, NumberOfBytes: 32)));

        Assert.Contains("number of bytes or key spec, not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_NeitherKeySpecNorNumberOfBytes_AsksForOne()
    {
        var error = Assert.Throws<AwsServiceException>(() => DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: null)));

        Assert.Contains("number of bytes or key spec", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not both", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public void Length_NumberOfBytesOutsideOneTo1024_NamesTheFieldValueAndLimit(int bytes)
    {
        var error = Assert.Throws<AwsServiceException>(() => DataKeys.Length(new GenerateDataKeyRequest(KeyId, KeySpec: null, NumberOfBytes: bytes)));

        Assert.Contains($"'{bytes}' at 'numberOfBytes'", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1024", error.Message, StringComparison.Ordinal);
    }
}
