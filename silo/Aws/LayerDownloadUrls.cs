using System.Security.Cryptography;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;

namespace GrantSim.Silo.Aws;

/// <summary>What a layer download URL vouches for: who asked (the access key, so the principal), where, which layer, until when.</summary>
/// <remarks><see cref="Registry"/> is the registry (account) the layer is in: the caller's own, or another account's whose repository policy lets it pull.</remarks>
public sealed record LayerDownloadClaims(string AccessKeyId, string Account, string Region, string Repository, string Digest, DateTimeOffset ExpiresAt, string Registry);

/// <summary>
/// GetDownloadUrlForLayer's URLs. ECR answers a presigned S3 URL; GrantSim answers a URL of its own registry,
/// <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;?X-GrantSim-Download=GSD1.&lt;claims&gt;.&lt;mac&gt;</c>, whose token binds the
/// account, region, repository, digest, the caller's access key and an expiry under an HMAC of the server's token
/// secret (a key of its own, derived from it, so a download token is never a registry password). Like a presigned
/// URL it needs no other credential, works for that one layer only, and ends when it expires; the download is the
/// registry's blob GET as the caller, so it is authorized again and decrypted through the repository's grant.
/// </summary>
public sealed class LayerDownloadUrls
{
    public const string QueryParameter = "X-GrantSim-Download";
    public const string Prefix = "GSD1.";

    /// <summary>How long a URL works. AWS does not say how long ECR's presigned URLs last; GrantSim gives an hour.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly SignedClaims _envelope;
    private readonly TimeProvider _clock;

    public LayerDownloadUrls(byte[] serverSecret, TimeProvider clock)
    {
        _envelope = new SignedClaims(Prefix, HMACSHA256.HashData(serverSecret, "GrantSim layer download URLs"u8));
        _clock = clock;
    }

    // G, the registry the layer is in, is left out when it is the caller's own account.
    private sealed record Claims(string K, string A, string R, string N, string D, long E, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? G = null);

    /// <summary>The URL of a layer on the registry at <paramref name="host"/>, and when it stops working.</summary>
    public (string Url, DateTimeOffset ExpiresAt) Issue(string host, string accessKeyId, string account, string region, string repository, string digest, string? registry = null)
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds((_clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds());
        var token = _envelope.Seal(new Claims(accessKeyId, account, region, repository, digest, expires.ToUnixTimeSeconds(), registry == account ? null : registry));
        return ($"http://{host}/v2/{repository}/blobs/{digest}?{QueryParameter}={token}", expires);
    }

    /// <summary>The claims of a genuine, unexpired token; null for anything else.</summary>
    public LayerDownloadClaims? Verify(string? token)
    {
        var claims = _envelope.Open<Claims>(token);
        if (claims is null || string.IsNullOrEmpty(claims.K) || claims.A is null || !AccountId.IsValid(claims.A) || claims.R is null || !Regions.IsKnown(claims.R)
            || claims.N is null || !RepositoryNames.IsValid(claims.N) || !ContentDigest.IsValid(claims.D) || (claims.G is not null && !AccountId.IsValid(claims.G))
            || claims.E < 0 || claims.E > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.E);
        return expires > _clock.GetUtcNow() ? new LayerDownloadClaims(claims.K, claims.A, claims.R, claims.N, claims.D, expires, claims.G ?? claims.A) : null;
    }
}
