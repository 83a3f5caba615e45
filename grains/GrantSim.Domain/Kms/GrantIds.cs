using System.Security.Cryptography;

namespace GrantSim.Kms;

/// <summary>Grant ids: 64 lowercase hex digits (256 random bits).</summary>
public static class GrantIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static bool IsWellFormed(string? grantId) =>
        grantId is { Length: 64 } && !grantId.AsSpan().ContainsAnyExcept("0123456789abcdef");
}
