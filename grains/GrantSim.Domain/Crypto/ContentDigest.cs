using System.Security.Cryptography;

namespace GrantSim.Crypto;

/// <summary>OCI content digests: <c>sha256:</c> and 64 lowercase hex digits.</summary>
public static class ContentDigest
{
    public const string Sha256Prefix = "sha256:";

    public static string Sha256(ReadOnlySpan<byte> content) =>
        Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(content));

    public static bool IsValid(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith(Sha256Prefix, StringComparison.Ordinal)
        && digest.AsSpan(Sha256Prefix.Length).ContainsAnyExcept("0123456789abcdef") == false;
}
