using GrantSim.Silo.Aws;
using Microsoft.Extensions.Time.Testing;

namespace GrantSim.Silo.Tests.Aws;

public sealed class LayerDownloadUrlsTests
{
    private static readonly byte[] Secret = "a secret of the server, thirty-two bytes!"u8.ToArray();
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Issue_ThenVerify_GivesBackEverythingTheUrlIsBoundTo()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var urls = new LayerDownloadUrls(Secret, clock);

        var (url, expires) = urls.Issue("127.0.0.1:4566", "AKID", "000000000000", "eu-west-1", "team/app", Digest);

        Assert.StartsWith($"http://127.0.0.1:4566/v2/team/app/blobs/{Digest}?{LayerDownloadUrls.QueryParameter}={LayerDownloadUrls.Prefix}", url, StringComparison.Ordinal);
        Assert.Equal(new LayerDownloadClaims("AKID", "000000000000", "eu-west-1", "team/app", Digest, expires, "000000000000"), urls.Verify(TokenOf(url)));
        Assert.Equal(clock.GetUtcNow() + LayerDownloadUrls.Lifetime, expires);
    }

    [Fact]
    public void Issue_ForAnotherAccountsRegistry_NamesThatRegistry()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var urls = new LayerDownloadUrls(Secret, clock);

        var (url, expires) = urls.Issue("127.0.0.1:4566", "AKID", "000000000000", "eu-west-1", "team/app", Digest, registry: "111122223333");

        Assert.Equal(new LayerDownloadClaims("AKID", "000000000000", "eu-west-1", "team/app", Digest, expires, "111122223333"), urls.Verify(TokenOf(url)));
    }

    [Fact]
    public void Verify_OnceExpired_Refuses()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var urls = new LayerDownloadUrls(Secret, clock);
        var token = TokenOf(urls.Issue("h", "AKID", "000000000000", "us-east-1", "app", Digest).Url);

        clock.Advance(LayerDownloadUrls.Lifetime - TimeSpan.FromSeconds(1));
        Assert.NotNull(urls.Verify(token));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(urls.Verify(token));
    }

    [Fact]
    public void Verify_ATamperedToken_OrOneOfAnotherSecret_OrARegistryPassword_Refuses()
    {
        var urls = new LayerDownloadUrls(Secret, TimeProvider.System);
        var token = TokenOf(urls.Issue("h", "AKID", "000000000000", "us-east-1", "app", Digest).Url);
        var claims = token[LayerDownloadUrls.Prefix.Length..token.LastIndexOf('.')];
        var mac = token[(token.LastIndexOf('.') + 1)..];

        // Another repository's claims under this token's MAC; a flipped MAC character; padding added; another server's token.
        var otherClaims = TokenOf(urls.Issue("h", "AKID", "000000000000", "us-east-1", "other", Digest).Url);
        Assert.Null(urls.Verify($"{LayerDownloadUrls.Prefix}{otherClaims[LayerDownloadUrls.Prefix.Length..otherClaims.LastIndexOf('.')]}.{mac}"));
        Assert.Null(urls.Verify($"{LayerDownloadUrls.Prefix}{claims}.{(mac[0] == 'A' ? 'B' : 'A')}{mac[1..]}"));
        Assert.Null(urls.Verify(token + "="));
        Assert.Null(urls.Verify(TokenOf(new LayerDownloadUrls("another server's secret"u8.ToArray(), TimeProvider.System).Issue("h", "AKID", "000000000000", "us-east-1", "app", Digest).Url)));
        Assert.Null(urls.Verify(new RegistryToken(Secret, TimeProvider.System).Issue("AKID", "000000000000", "us-east-1").Password));
        Assert.Null(urls.Verify(null));
    }

    [Fact]
    public void ARegistryToken_DoesNotOpenADownload_AndADownloadTokenIsNoPassword()
    {
        var tokens = new RegistryToken(Secret, TimeProvider.System);
        var download = TokenOf(tokens.Downloads.Issue("h", "AKID", "000000000000", "us-east-1", "app", Digest).Url);

        Assert.Null(tokens.Verify(download));
        Assert.Null(tokens.Verify(RegistryToken.Prefix + download[LayerDownloadUrls.Prefix.Length..]));
    }

    private static string TokenOf(string url) => url[(url.IndexOf('=', StringComparison.Ordinal) + 1)..];
}
