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

    [Fact]
    public void AuthorizationToken_IsBase64OfUserAwsAndThePassword() =>
        Assert.Equal("QVdTOnB3", RegistryToken.AuthorizationToken("pw"));
}
