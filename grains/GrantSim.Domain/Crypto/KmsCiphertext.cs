using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using GrantSim.Aws;
using GrantSim.Kms;

namespace GrantSim.Crypto;

/// <summary>
/// The KMS CiphertextBlob: <c>version(1) | keyArnLength(2) | keyArn | sealed</c>, where sealed is
/// AES-256-GCM under the key's material with associated data = header || canonical encryption
/// context. The header tells Decrypt which key to use (no KeyId needed); binding it and the
/// context into the tag means any change to either fails authentication.
/// </summary>
public static class KmsCiphertext
{
    private const byte Version = 1;
    private const int MaxPlaintext = 4096;

    public static byte[] Encrypt(ReadOnlySpan<byte> material, string keyArn, ReadOnlySpan<byte> plaintext, EncryptionContext context)
    {
        var header = Header(keyArn);
        var sealedBytes = AesGcmSealer.Seal(material, plaintext, AssociatedData(header, context));
        var blob = new byte[header.Length + sealedBytes.Length];
        header.CopyTo(blob, 0);
        sealedBytes.CopyTo(blob, header.Length);
        return blob;
    }

    /// <summary>Reads the key ARN from a blob's header without decrypting; false when the blob is not one of ours.</summary>
    public static bool TryReadKeyArn(ReadOnlySpan<byte> blob, [NotNullWhen(true)] out string? keyArn)
    {
        keyArn = null;
        if (blob.Length < 3 || blob[0] != Version)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(blob[1..]);
        if (blob.Length < 3 + length + AesGcmSealer.Overhead)
        {
            return false;
        }

        try
        {
            keyArn = new UTF8Encoding(false, true).GetString(blob.Slice(3, length));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return Arn.TryParse(keyArn, out var arn) && arn.IsKmsKey;
    }

    /// <summary>Decrypts a blob under <paramref name="material"/>; InvalidCiphertextException on any mismatch.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> material, ReadOnlySpan<byte> blob, EncryptionContext context)
    {
        if (!TryReadKeyArn(blob, out var keyArn))
        {
            throw Invalid();
        }

        var headerLength = 3 + Encoding.UTF8.GetByteCount(keyArn);
        var associatedData = AssociatedData(blob[..headerLength].ToArray(), context);
        return AesGcmSealer.TryOpen(material, blob[headerLength..], associatedData, out var plaintext) ? plaintext : throw Invalid();
    }

    public static void ValidatePlaintextLength(int length)
    {
        if (length is < 1 or > MaxPlaintext)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and {MaxPlaintext}.");
        }
    }

    /// <summary>The model's CiphertextType: 1 to <see cref="MaxCiphertextBlob"/> bytes (for callers that reach the key without the endpoint).</summary>
    public const int MaxCiphertextBlob = 6144;

    public static void ValidateCiphertextLength(byte[]? ciphertextBlob)
    {
        if (ciphertextBlob is not { Length: >= 1 and <= MaxCiphertextBlob })
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length between 1 and {MaxCiphertextBlob}");
        }
    }

    /// <summary>A KeyId given with Decrypt must name the key the ciphertext was encrypted under.</summary>
    public static void RequireNamedKey(string blobKeyArn, string namedKeyArn)
    {
        if (namedKeyArn != blobKeyArn)
        {
            throw new AwsServiceException(AwsErrorCodes.IncorrectKey,
                $"The key ID in the request does not identify a key that can decrypt the ciphertext: the ciphertext was encrypted under {blobKeyArn}.");
        }
    }

    public static AwsServiceException Invalid() =>
        new(AwsErrorCodes.InvalidCiphertext, "The ciphertext is invalid, or the encryption context does not match the one it was encrypted with.");

    private static byte[] Header(string keyArn)
    {
        var arnBytes = Encoding.UTF8.GetBytes(keyArn);
        var header = new byte[3 + arnBytes.Length];
        header[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(1), (ushort)arnBytes.Length);
        arnBytes.CopyTo(header, 3);
        return header;
    }

    private static byte[] AssociatedData(byte[] header, EncryptionContext context)
    {
        var contextBytes = context.ToCanonicalBytes();
        var associatedData = new byte[header.Length + contextBytes.Length];
        header.CopyTo(associatedData, 0);
        contextBytes.CopyTo(associatedData, header.Length);
        return associatedData;
    }
}
