using System.Text;
using GrantSim.Crypto;

namespace GrantSim.Domain.Tests.Crypto;

public sealed class ContentDigestTests
{
    [Theory]
    [InlineData("", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Sha256_IsThePrefixedLowercaseHexDigest(string content, string digest)
    {
        Assert.Equal(digest, ContentDigest.Sha256(Encoding.UTF8.GetBytes(content)));
    }

    [Property]
    public bool Sha256_OfAnyContent_IsValid(byte[] content)
    {
        var digest = ContentDigest.Sha256(content);
        return digest.Length == 71 && digest.StartsWith("sha256:", StringComparison.Ordinal) && ContentDigest.IsValid(digest);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void IsValid_AnythingElse_IsFalse(string? digest)
    {
        Assert.False(ContentDigest.IsValid(digest));
    }
}
