using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrantSim.Silo.Aws;

/// <summary>
/// The envelope of GrantSim's stateless credentials (registry passwords, layer download URLs):
/// <c>&lt;prefix&gt;&lt;claims&gt;.&lt;mac&gt;</c>, the claims base64url JSON and the mac base64url HMAC-SHA256 of the
/// claims' text under <paramref name="key"/>. What the claims mean, and whether they are usable, is the caller's.
/// </summary>
public sealed class SignedClaims(string prefix, byte[] key)
{
    public string Seal<T>(T claims)
    {
        var text = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return $"{prefix}{text}.{Base64Url(Mac(text))}";
    }

    /// <summary>The claims of a token this key sealed; null for anything else.</summary>
    public T? Open<T>(string? token)
        where T : class
    {
        if (token is null || !token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = token[prefix.Length..].Split('.');
        // The MAC is compared as the text GrantSim wrote, not as the bytes it decodes to: a token re-spelled
        // (padding, '+' and '/' for '-' and '_', an unused low bit flipped) is not the token that was issued.
        if (parts.Length != 2
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(Base64Url(Mac(parts[0]))))
            || !TryDecode(parts[0], out var json) || Base64Url(json) != parts[0])
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private byte[] Mac(string claims) => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(claims));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
