using GrantSim.Silo.Aws;
using Microsoft.Extensions.Time.Testing;

namespace GrantSim.Silo.Tests.Aws;

public sealed class RegistryTokenTests
{
    private static readonly byte[] Secret = "a secret of the server, thirty-two bytes!"u8.ToArray();

    [Fact]
    public void Issue_ThenVerify_GivesBackTheKeyAccountAndRegion()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));
        var tokens = new RegistryToken(Secret, clock);

        var (password, expires) = tokens.Issue("test", "000000000000", "us-east-1");
        var claims = tokens.Verify(password);

        Assert.Equal(new RegistryTokenClaims("test", "000000000000", "us-east-1", expires), claims);
        Assert.Equal(clock.GetUtcNow() + RegistryToken.Lifetime, expires);
    }

    [Fact]
    public void Issue_ForAnotherAccountsRegistry_AddressesIt_AndOtherwiseReadsAsBefore()
    {
        var tokens = new RegistryToken(Secret, TimeProvider.System);
        var (own, _) = tokens.Issue("test", "000000000000", "us-east-1");
        var (addressed, _) = tokens.Issue("test", "000000000000", "us-east-1", "111122223333");

        Assert.Equal("000000000000", tokens.Verify(own)!.Registry);
        Assert.Null(tokens.Verify(own)!.AddressedRegistry);
        Assert.Equal("111122223333", tokens.Verify(addressed)!.Registry);
        // The principal and its account are the same: only the registry it addresses differs.
        Assert.Equal("000000000000", tokens.Verify(addressed)!.Account);
        Assert.DoesNotContain("\"G\"", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(own.Split('.')[1]))), StringComparison.Ordinal);
    }

    private static string Pad(string base64Url) => base64Url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - base64Url.Length % 4) % 4);

    [Fact]
    public void Verify_AfterTwelveHours_Refuses()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));
        var tokens = new RegistryToken(Secret, clock);
        var (password, _) = tokens.Issue("test", "000000000000", "us-east-1");

        clock.Advance(RegistryToken.Lifetime);

        Assert.Null(tokens.Verify(password));
    }

    [Fact]
    public void Verify_ATokenOfAnotherServerSecret_Refuses()
    {
        var (password, _) = new RegistryToken("another server's secret"u8.ToArray(), TimeProvider.System).Issue("test", "000000000000", "us-east-1");

        Assert.Null(new RegistryToken(Secret, TimeProvider.System).Verify(password));
    }

    /// <summary>Any change to a genuine token — a character replaced, dropped or added — makes it worthless.</summary>
    [Property(MaxTest = 200)]
    public Property Verify_ATamperedToken_Refuses(PositiveInt position, char replacement)
    {
        var tokens = new RegistryToken(Secret, TimeProvider.System);
        var (password, _) = tokens.Issue("test", "000000000000", "us-east-1");
        var at = position.Get % password.Length;
        var tampered = password[..at] + replacement + password[(at + 1)..];

        return (tampered == password || tokens.Verify(tampered) is null)
            .Label($"replacing position {at} with '{replacement}' was accepted");
    }

    [Theory]
    [InlineData("pad")]
    [InlineData("plus-slash")]
    [InlineData("unused-bit")]
    public void Verify_AGenuineTokenReSpelled_Refuses(string how)
    {
        // The MAC decodes to the same bytes, but it is not the text this server wrote. The clock is fixed and
        // stepped until the MAC holds a '-' or '_' (base64url's own letters), so every case has something to re-spell.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));
        var tokens = new RegistryToken(Secret, clock);
        var (password, mac, dot) = IssueWithMac(tokens);
        while (how == "plus-slash" && mac.IndexOfAny(['-', '_']) < 0)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            (password, mac, dot) = IssueWithMac(tokens);
        }
        var respelled = how switch
        {
            "pad" => mac + "=",
            "plus-slash" => mac.Replace('-', '+').Replace('_', '/'),
            _ => mac[..^1] + FlipUnusedBit(mac[^1]),
        };
        Assert.NotEqual(mac, respelled);

        Assert.Null(tokens.Verify(password[..(dot + 1)] + respelled));
    }

    private static (string Password, string Mac, int Dot) IssueWithMac(RegistryToken tokens)
    {
        var (password, _) = tokens.Issue("test", "000000000000", "us-east-1");
        var dot = password.LastIndexOf('.');
        return (password, password[(dot + 1)..], dot);
    }

    [Theory]
    [InlineData("""{"K":"test","A":"000000000000","R":"us-east-1","E":4611686018427387904}""")]
    [InlineData("""{"K":"test","A":"000000000000","R":"us-east-1","E":-4611686018427387904}""")]
    [InlineData("""{"A":"000000000000","R":"us-east-1","E":1900000000}""")]
    [InlineData("""{"K":"","A":"000000000000","R":"us-east-1","E":1900000000}""")]
    [InlineData("""{"K":"test","R":"us-east-1","E":1900000000}""")]
    [InlineData("""{"K":"test","A":"000000000000","E":1900000000}""")]
    public void Verify_ATokenSignedWithTheRightSecret_ButUnusableClaims_Refuses(string claims)
    {
        var text = Base64Url(System.Text.Encoding.UTF8.GetBytes(claims));
        var password = $"{RegistryToken.Prefix}{text}.{Base64Url(System.Security.Cryptography.HMACSHA256.HashData(Secret, System.Text.Encoding.ASCII.GetBytes(text)))}";

        Assert.Null(new RegistryToken(Secret, TimeProvider.System).Verify(password));
    }

    [Fact]
    public void Verify_ATokenSignedWithTheRightSecret_ExpiringAtTheLastSecondAClockReaches_IsAccepted()
    {
        var last = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
        var text = Base64Url(System.Text.Encoding.UTF8.GetBytes($$"""{"K":"test","A":"000000000000","R":"us-east-1","E":{{last}}}"""));
        var password = $"{RegistryToken.Prefix}{text}.{Base64Url(System.Security.Cryptography.HMACSHA256.HashData(Secret, System.Text.Encoding.ASCII.GetBytes(text)))}";

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(last), new RegistryToken(Secret, TimeProvider.System).Verify(password)?.ExpiresAt);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A 32-byte MAC is 43 base64 characters: the last carries 4 bits of the MAC and 2 unused ones.</summary>
    private static char FlipUnusedBit(char last)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) ^ 1];
    }

    [Fact]
    public void AuthorizationToken_IsBase64OfUserAwsAndThePassword() =>
        Assert.Equal("QVdTOnB3", RegistryToken.AuthorizationToken("pw"));
}
