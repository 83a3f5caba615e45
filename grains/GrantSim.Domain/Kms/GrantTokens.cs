using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>
/// Grant tokens: opaque to callers, self-describing to KMS. A token carries the key ARN and grant
/// id (so RetireGrant by token can find the key) and an HMAC under the key's token secret (so only
/// the key that issued it accepts it). Each CreateGrant call issues a fresh token (random nonce).
/// </summary>
public static class GrantTokens
{
    private const byte Version = 1;
    private const int NonceSize = 16;
    private const int MacSize = 32;
    private const int GrantIdBytes = 32;

    public const int MaxTokensPerRequest = 10;

    public static string Issue(ReadOnlySpan<byte> tokenSecret, string keyArn, string grantId)
    {
        var arnBytes = Encoding.UTF8.GetBytes(keyArn);
        var payloadLength = 1 + 2 + arnBytes.Length + GrantIdBytes + NonceSize;
        var token = new byte[payloadLength + MacSize];
        token[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(token.AsSpan(1), (ushort)arnBytes.Length);
        arnBytes.CopyTo(token, 3);
        Convert.FromHexString(grantId).CopyTo(token, 3 + arnBytes.Length);
        RandomNumberGenerator.Fill(token.AsSpan(3 + arnBytes.Length + GrantIdBytes, NonceSize));
        HMACSHA256.HashData(tokenSecret, token.AsSpan(0, payloadLength), token.AsSpan(payloadLength));
        return Base64Url(token);
    }

    /// <summary>Reads a token's key ARN and grant id without checking its MAC.</summary>
    public static bool TryRead(string? token, [NotNullWhen(true)] out string? keyArn, [NotNullWhen(true)] out string? grantId)
    {
        keyArn = grantId = null;
        if (!TryDecode(token, out var bytes, out var arnLength))
        {
            return false;
        }

        keyArn = Encoding.UTF8.GetString(bytes, 3, arnLength);
        grantId = Convert.ToHexStringLower(bytes, 3 + arnLength, GrantIdBytes);
        return Arn.TryParse(keyArn, out var arn) && arn.IsKmsKey;
    }

    /// <summary>True when the token was issued by the key with <paramref name="tokenSecret"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> tokenSecret, string token)
    {
        if (tokenSecret.IsEmpty || !TryDecode(token, out var bytes, out _))
        {
            return false;
        }

        var payloadLength = bytes.Length - MacSize;
        Span<byte> expected = stackalloc byte[MacSize];
        HMACSHA256.HashData(tokenSecret, bytes.AsSpan(0, payloadLength), expected);
        return CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(payloadLength));
    }

    /// <summary>
    /// The grant ids of the tokens a request presents to the key <paramref name="keyArn"/>; any
    /// token this key did not issue is InvalidGrantTokenException. Null when none are presented.
    /// </summary>
    public static IReadOnlySet<string>? PresentedGrantIds(ReadOnlySpan<byte> tokenSecret, string keyArn, IReadOnlyList<string>? tokens)
    {
        if (tokens is null || tokens.Count == 0)
        {
            return null;
        }

        if (tokens.Count > MaxTokensPerRequest)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to {MaxTokensPerRequest}");
        }

        var grantIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            if (!TryRead(token, out var tokenKey, out var grantId) || tokenKey != keyArn || !Verify(tokenSecret, token))
            {
                throw Invalid();
            }

            grantIds.Add(grantId);
        }

        return grantIds;
    }

    public static AwsServiceException Invalid() =>
        new(AwsErrorCodes.InvalidGrantToken, "The grant token is invalid or was not issued for this key.");

    private static bool TryDecode(string? token, [NotNullWhen(true)] out byte[]? bytes, out int arnLength)
    {
        bytes = null;
        arnLength = 0;
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return false;
        }

        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            bytes = Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length < 3 || bytes[0] != Version)
        {
            return false;
        }

        arnLength = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(1));
        return bytes.Length == 3 + arnLength + GrantIdBytes + NonceSize + MacSize;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
