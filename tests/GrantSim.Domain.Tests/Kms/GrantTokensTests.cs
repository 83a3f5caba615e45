using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Kms;

public sealed class GrantTokensTests
{
    private static readonly byte[] Secret = AesGcmSealer.NewKey();

    [Fact]
    public void Issue_ThenTryRead_GivesBackKeyAndGrant()
    {
        var grantId = GrantIds.New();
        var token = GrantTokens.Issue(Secret, KeyArn, grantId);

        Assert.True(GrantTokens.TryRead(token, out var keyArn, out var readGrantId));
        Assert.Equal(KeyArn, keyArn);
        Assert.Equal(grantId, readGrantId);
    }

    [Fact]
    public void Issue_ThenVerify_WithTheSameSecret_IsTrue()
    {
        Assert.True(GrantTokens.Verify(Secret, GrantTokens.Issue(Secret, KeyArn, GrantIds.New())));
    }

    [Fact]
    public void Issue_Twice_GivesDifferentTokensThatBothVerify()
    {
        var grantId = GrantIds.New();
        var a = GrantTokens.Issue(Secret, KeyArn, grantId);
        var b = GrantTokens.Issue(Secret, KeyArn, grantId);

        Assert.NotEqual(a, b);
        Assert.True(GrantTokens.Verify(Secret, a));
        Assert.True(GrantTokens.Verify(Secret, b));
    }

    [Fact]
    public void Token_IsUrlSafeWithoutPadding()
    {
        var token = GrantTokens.Issue(Secret, KeyArn, GrantIds.New());

        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void Verify_TokenOfAnotherSecret_IsFalse()
    {
        var token = GrantTokens.Issue(AesGcmSealer.NewKey(), KeyArn, GrantIds.New());

        Assert.False(GrantTokens.Verify(Secret, token));
    }

    [Fact]
    public void Verify_WithTheWipedSecretOfADeletedKey_IsFalse()
    {
        Assert.False(GrantTokens.Verify([], GrantTokens.Issue(Secret, KeyArn, GrantIds.New())));
    }

    [Fact]
    public void Verify_TokenWithAnyByteFlipped_IsFalse()
    {
        var bytes = Decode(GrantTokens.Issue(Secret, KeyArn, GrantIds.New()));

        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            Assert.False(GrantTokens.Verify(Secret, Encode(tampered)), $"byte {i} flipped");
        }
    }

    [Fact]
    public void Verify_TokenNamingAnotherGrant_IsFalse()
    {
        var token = GrantTokens.Issue(Secret, KeyArn, "00".PadRight(64, '0'));
        var bytes = Decode(token);
        bytes[3 + KeyArn.Length] = 0xff; // first byte of the grant id

        var forged = Encode(bytes);

        Assert.True(GrantTokens.TryRead(forged, out _, out var forgedGrantId));
        Assert.StartsWith("ff", forgedGrantId, StringComparison.Ordinal);
        Assert.False(GrantTokens.Verify(Secret, forged));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a token!")]
    [InlineData("AQ")]
    [InlineData("====")]
    public void TryRead_Garbage_IsFalse(string? token)
    {
        Assert.False(GrantTokens.TryRead(token, out _, out _));
        Assert.False(GrantTokens.Verify(Secret, token!));
    }

    [Fact]
    public void TryRead_TruncatedToken_IsFalse()
    {
        var token = GrantTokens.Issue(Secret, KeyArn, GrantIds.New());

        Assert.False(GrantTokens.TryRead(token[..^4], out _, out _));
        Assert.False(GrantTokens.TryRead(token + "AAAA", out _, out _));
    }

    [Fact]
    public void TryRead_TokenForANonKeyArn_IsFalse()
    {
        var token = GrantTokens.Issue(Secret, Arn.KmsAlias(Region, Account, "alias/x").ToString(), GrantIds.New());

        Assert.False(GrantTokens.TryRead(token, out _, out _));
    }

    [Fact]
    public void TryRead_TooLongText_IsFalse()
    {
        Assert.False(GrantTokens.TryRead(new string('A', 8193), out _, out _));
    }

    [Property]
    public bool TryRead_RandomBytes_IsFalse(byte[] bytes) =>
        !GrantTokens.TryRead(Encode(bytes), out _, out _) && !GrantTokens.Verify(Secret, Encode(bytes));

    [Property]
    public bool TryRead_RandomText_IsFalse(NonEmptyString text) =>
        !GrantTokens.TryRead(text.Get, out _, out _);

    [Fact]
    public void Invalid_IsInvalidGrantTokenException()
    {
        Assert.Equal(AwsErrorCodes.InvalidGrantToken, GrantTokens.Invalid().ErrorCode);
    }

    private static byte[] Decode(string token)
    {
        var padded = token.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public void PresentedGrantIds_AreTheGrantsOfTokensThisKeyIssued()
    {
        var secret = new byte[32];
        var grantA = GrantIds.New();
        var grantB = GrantIds.New();
        var tokens = new[] { GrantTokens.Issue(secret, Samples.KeyArn, grantA), GrantTokens.Issue(secret, Samples.KeyArn, grantB) };

        Assert.Equal(new HashSet<string> { grantA, grantB }, GrantTokens.PresentedGrantIds(secret, Samples.KeyArn, tokens));
        Assert.Null(GrantTokens.PresentedGrantIds(secret, Samples.KeyArn, []));
    }

    [Fact]
    public void PresentedGrantIds_WithATokenOfAnotherKeyOrSecret_IsInvalidGrantToken()
    {
        var secret = new byte[32];
        var otherKey = Samples.KeyArn.Replace(Samples.KeyId, Guid.NewGuid().ToString(), StringComparison.Ordinal);
        var foreign = GrantTokens.Issue(secret, otherKey, GrantIds.New());
        var forged = GrantTokens.Issue(Enumerable.Repeat((byte)1, 32).ToArray(), Samples.KeyArn, GrantIds.New());

        Assert.Equal(AwsErrorCodes.InvalidGrantToken, Assert.Throws<AwsServiceException>(() => GrantTokens.PresentedGrantIds(secret, Samples.KeyArn, [foreign])).ErrorCode);
        Assert.Equal(AwsErrorCodes.InvalidGrantToken, Assert.Throws<AwsServiceException>(() => GrantTokens.PresentedGrantIds(secret, Samples.KeyArn, [forged])).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() =>
            GrantTokens.PresentedGrantIds(secret, Samples.KeyArn, Enumerable.Range(0, 11).Select(_ => GrantTokens.Issue(secret, Samples.KeyArn, GrantIds.New())).ToArray())).ErrorCode);
    }

    [Fact]
    public void PresentedGrantIds_TenTokens_AreAccepted()
    {
        var secret = new byte[32];
        var tokens = Enumerable.Range(0, GrantTokens.MaxTokensPerRequest).Select(_ => GrantTokens.Issue(secret, Samples.KeyArn, GrantIds.New())).ToArray();

        Assert.Equal(GrantTokens.MaxTokensPerRequest, GrantTokens.PresentedGrantIds(secret, Samples.KeyArn, tokens)!.Count);
    }

    [Fact]
    public void PresentedGrantIds_ElevenTokens_NamesTheFieldAndTheLimit()
    {
        var secret = new byte[32];
        var tokens = Enumerable.Range(0, GrantTokens.MaxTokensPerRequest + 1).Select(_ => GrantTokens.Issue(secret, Samples.KeyArn, GrantIds.New())).ToArray();

        var error = Assert.Throws<AwsServiceException>(() => GrantTokens.PresentedGrantIds(secret, Samples.KeyArn, tokens));

        Assert.Contains("'grantTokens'", error.Message, StringComparison.Ordinal);
        Assert.Contains("less than or equal to 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_SaysTheTokenWasNotIssuedForThisKey()
    {
        Assert.Contains("not issued for this key", GrantTokens.Invalid().Message, StringComparison.Ordinal);
    }
}
