using System.Text;
using System.Text.Json.Serialization;
using GrantSim.Aws;

namespace GrantSim.Silo.Aws;

/// <summary>
/// What a registry token vouches for: the principal (as its access key signed), its account and region, until when;
/// and <see cref="Registry"/>, the account whose registry it addresses (its own unless GetAuthorizationToken named another).
/// </summary>
public sealed record RegistryTokenClaims(string AccessKeyId, string Account, string Region, DateTimeOffset ExpiresAt, string? AddressedRegistry = null)
{
    public string Registry => AddressedRegistry ?? Account;
}

/// <summary>
/// The password of <c>aws ecr get-login-password</c>: <c>GSR1.&lt;claims&gt;.&lt;mac&gt;</c>, the
/// claims base64url JSON and the mac base64url HMAC-SHA256 of the claims under the server's token
/// secret. The server verifies it without storing anything; it names the access key, so a token
/// stops working when its key is removed from the tenants file. Valid 12 hours, as ECR's.
/// </summary>
public sealed class RegistryToken(byte[] secret, TimeProvider clock)
{
    public const string Prefix = "GSR1.";
    public const string User = "AWS";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    // G, the registry addressed, is left out when it is the token's own account (tokens read as they always did).
    private sealed record Claims(string K, string A, string R, long E, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? G = null);

    /// <summary>GetDownloadUrlForLayer's URLs, signed under a key derived from the same server secret.</summary>
    public LayerDownloadUrls Downloads { get; } = new(secret, clock);

    private readonly SignedClaims _envelope = new(Prefix, secret);

    public (string Password, DateTimeOffset ExpiresAt) Issue(string accessKeyId, string account, string region, string? addressedRegistry = null)
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds((clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds());
        return (_envelope.Seal(new Claims(accessKeyId, account, region, expires.ToUnixTimeSeconds(), addressedRegistry)), expires);
    }

    /// <summary>The claims of a genuine, unexpired token; null for anything else.</summary>
    public RegistryTokenClaims? Verify(string? password)
    {
        var claims = _envelope.Open<Claims>(password);
        // Signed by this server, yet unusable: no key id, an account or region that is not one, an expiry no clock reaches.
        if (claims is null || string.IsNullOrEmpty(claims.K) || claims.A is null || !AccountId.IsValid(claims.A) || claims.R is null || !Regions.IsKnown(claims.R)
            || claims.E < 0 || claims.E > DateTimeOffset.MaxValue.ToUnixTimeSeconds() || (claims.G is not null && !AccountId.IsValid(claims.G)))
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.E);
        return expires > clock.GetUtcNow() ? new RegistryTokenClaims(claims.K, claims.A, claims.R, expires, claims.G) : null;
    }

    /// <summary>The value of <c>authorizationToken</c>: base64 of <c>AWS:password</c>, as Docker's Basic auth wants it.</summary>
    public static string AuthorizationToken(string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}"));
}
