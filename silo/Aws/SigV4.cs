using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GrantSim.Silo.Aws;

/// <summary>The parts of an <c>Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c> header.</summary>
public sealed record SigV4Authorization(
    string AccessKeyId,
    string Date,
    string Region,
    string Service,
    IReadOnlyList<string> SignedHeaders,
    string Signature)
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public string CredentialScope => $"{Date}/{Region}/{Service}/aws4_request";

    /// <summary>Parses the header; null when it is not a well-formed SigV4 header (AWS then answers IncompleteSignature).</summary>
    public static SigV4Authorization? TryParse(string? header)
    {
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !fields.TryAdd(part[..equals], part[(equals + 1)..]))
            {
                return null;
            }
        }

        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders) || !fields.TryGetValue("Signature", out var signature))
        {
            return null;
        }

        // The access key id itself never holds '/', so the scope is the last four parts.
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[0].Length == 0 || scope[1].Length != 8 || !scope[1].All(char.IsAsciiDigit)
            || signature.Length != 64 || !signature.All(char.IsAsciiHexDigitLower) || signedHeaders.Length == 0)
        {
            return null;
        }

        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], signedHeaders.Split(';'), signature);
    }
}

/// <summary>
/// AWS Signature Version 4, the server's side: rebuilds the canonical request from what arrived and
/// computes the signature the secret key would have made. Pure, so it is checked against AWS's
/// documented examples without a server.
/// </summary>
public static class SigV4
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>The canonical request: method, URI, query, headers, signed header names, payload hash, one per line.</summary>
    /// <param name="path">The request path as it arrived (still percent-encoded).</param>
    /// <param name="query">The query string without '?', as it arrived.</param>
    /// <param name="headers">Every header of the request, names in any case, with all their values.</param>
    public static string CanonicalRequest(string method, string path, string query, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> headers, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        var byName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (!byName.TryGetValue(lower, out var list))
            {
                byName[lower] = list = [];
            }

            list.AddRange(values);
        }

        var builder = new StringBuilder();
        builder.Append(method).Append('\n');
        builder.Append(CanonicalUri(path)).Append('\n');
        builder.Append(CanonicalQuery(query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = byName.TryGetValue(name, out var found) ? found : [];
            builder.Append(name).Append(':').Append(string.Join(',', values.Select(TrimAll))).Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    public static string StringToSign(string amzDate, string credentialScope, string canonicalRequest) =>
        $"{SigV4Authorization.Algorithm}\n{amzDate}\n{credentialScope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
    }

    // The signing key depends only on the secret, the day, the Region and the service: four HMACs a
    // request need not repeat (AWS's SDKs cache it the same way). Bounded: cleared whole when full,
    // which costs each caller four HMACs once.
    private const int MaxCachedSigningKeys = 4096;
    private static readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> SigningKeys = new();

    public static byte[] CachedSigningKey(string secretAccessKey, string date, string region, string service)
    {
        var scope = (secretAccessKey, date, region, service);
        if (SigningKeys.TryGetValue(scope, out var key))
        {
            return key;
        }

        if (SigningKeys.Count >= MaxCachedSigningKeys)
        {
            SigningKeys.Clear();
        }

        return SigningKeys.GetOrAdd(scope, SigningKey(secretAccessKey, date, region, service));
    }

    public static string Signature(string secretAccessKey, SigV4Authorization authorization, string amzDate, string canonicalRequest) =>
        Hex(HMACSHA256.HashData(
            CachedSigningKey(secretAccessKey, authorization.Date, authorization.Region, authorization.Service),
            Encoding.UTF8.GetBytes(StringToSign(amzDate, authorization.CredentialScope, canonicalRequest))));

    /// <summary>Compares in constant time, so the time taken tells nothing about how much of a guess was right.</summary>
    public static bool SignatureMatches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));

    public static string PayloadHash(ReadOnlySpan<byte> payload) => Hex(SHA256.HashData(payload));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static bool TryParseAmzDate(string? value, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);

    // Services other than S3 encode the (already encoded) path once more, segment by segment,
    // after removing empty, '.' and '..' segments; '/' alone stays '/'.
    private static string CanonicalUri(string path)
    {
        if (string.IsNullOrEmpty(path) || path == "/")
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(UriEncode(segment));
        }

        var normalized = "/" + string.Join('/', segments);
        return path.EndsWith('/') && normalized != "/" ? normalized + "/" : normalized;
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? "" : pair[(equals + 1)..];
                return (Name: UriEncode(Uri.UnescapeDataString(name.Replace('+', ' '))), Value: UriEncode(Uri.UnescapeDataString(value.Replace('+', ' '))));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: everything but A-Z a-z 0-9 - _ . ~ as %XY, upper-case hex.</summary>
    public static string UriEncode(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    // Header values: leading and trailing spaces removed, inner runs of spaces made one.
    private static string TrimAll(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
