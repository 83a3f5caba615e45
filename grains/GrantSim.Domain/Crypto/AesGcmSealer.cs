using System.Security.Cryptography;

namespace GrantSim.Crypto;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce: sealed = nonce || ciphertext || tag. Used for content
/// under data keys and for wrapping data keys under master keys; the additional authenticated
/// data binds the encryption context (or object ARN) to the ciphertext.
/// </summary>
public static class AesGcmSealer
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = NonceSize + TagSize;

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        RequireKey(key);
        var sealedBytes = new byte[Overhead + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length, TagSize), associatedData);
        return sealedBytes;
    }

    /// <summary>Opens what <see cref="Seal"/> made; false when the key, data or associated data differ.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associatedData, out byte[] plaintext)
    {
        RequireKey(key);
        plaintext = [];
        if (sealedBytes.Length < Overhead)
        {
            return false;
        }

        var length = sealedBytes.Length - Overhead;
        var output = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, length), sealedBytes.Slice(NonceSize + length, TagSize), output, associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        plaintext = output;
        return true;
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    private static void RequireKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AES-256 keys are {KeySize} bytes; got {key.Length}.", nameof(key));
        }
    }
}
