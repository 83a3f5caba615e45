using GrantSim.Ecr;

namespace GrantSim.Abstractions.Tests.Ecr;

public sealed class EncryptionTypesTests
{
    [Theory]
    [InlineData(EncryptionType.Aes256, "AES256")]
    [InlineData(EncryptionType.Kms, "KMS")]
    [InlineData(EncryptionType.KmsDsse, "KMS_DSSE")]
    public void ToWire_AndTryParse_RoundTrip(EncryptionType type, string wire)
    {
        Assert.Equal(wire, type.ToWire());
        Assert.True(EncryptionTypes.TryParse(wire, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Fact]
    public void TryParse_EveryEnumValue_RoundTrips()
    {
        Assert.All(Enum.GetValues<EncryptionType>(), type =>
        {
            Assert.True(EncryptionTypes.TryParse(type.ToWire(), out var parsed));
            Assert.Equal(type, parsed);
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("kms")]
    [InlineData("aes256")]
    [InlineData("KMS-DSSE")]
    [InlineData("SSE_S3")]
    public void TryParse_UnknownOrMiscasedName_IsFalse(string? wire)
    {
        Assert.False(EncryptionTypes.TryParse(wire, out _));
    }

    [Fact]
    public void ToWire_OfAnUndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((EncryptionType)42).ToWire());
    }

    [Theory]
    [InlineData(EncryptionType.Aes256, false)]
    [InlineData(EncryptionType.Kms, true)]
    [InlineData(EncryptionType.KmsDsse, true)]
    public void UsesKms_OnlyForKmsAndKmsDsse(EncryptionType type, bool usesKms)
    {
        Assert.Equal(usesKms, type.UsesKms());
    }

    [Fact]
    public void EncryptionConfiguration_Default_IsAes256WithoutKey()
    {
        Assert.Equal(EncryptionType.Aes256, EncryptionConfiguration.Aes256.EncryptionType);
        Assert.Null(EncryptionConfiguration.Aes256.KmsKey);
        Assert.Equal("AES256", EncryptionConfiguration.Aes256.ToString());
        Assert.Equal("KMS (alias/team)", new EncryptionConfiguration(EncryptionType.Kms, "alias/team").ToString());
    }
}
