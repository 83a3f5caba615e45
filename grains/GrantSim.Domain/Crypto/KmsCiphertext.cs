using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using GrantSim.Aws;
using GrantSim.Kms;

namespace GrantSim.Crypto;

/// <summary>
/// The KMS CiphertextBlob: <c>format(1) | keyArnLength(2) | keyArn | [materialVersion(2)] | sealed</c>,
/// where sealed is AES-256-GCM under the key's material of that version with associated data =
/// header || canonical encryption context. Format 1 (no version field) is material version 0, the
/// material a key is created with; format 2 names a rotated version. The header tells Decrypt which
/// key and which material to use (no KeyId needed); binding it and the context into the tag means
/// any change to either fails authentication.
/// </summary>
public static class KmsCiphertext
{
    private const byte Version = 1;
    private const byte RotatedVersion = 2;
    private const int MaxPlaintext = 4096;

    /// <summary>Encrypts under the material a key was created with (version 0).</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> material, string keyArn, ReadOnlySpan<byte> plaintext, EncryptionContext context) =>
        Encrypt(material, keyArn, 0, plaintext, context);

    /// <summary>Encrypts under <paramref name="material"/>, the key's material version <paramref name="materialVersion"/>.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> material, string keyArn, int materialVersion, ReadOnlySpan<byte> plaintext, EncryptionContext context)
    {
        var header = Header(keyArn, materialVersion);
        var sealedBytes = AesGcmSealer.Seal(material, plaintext, AssociatedData(header, context));
        var blob = new byte[header.Length + sealedBytes.Length];
        header.CopyTo(blob, 0);
        sealedBytes.CopyTo(blob, header.Length);
        return blob;
    }

    /// <summary>Reads the key ARN from a blob's header without decrypting; false when the blob is not one of ours.</summary>
    public static bool TryReadKeyArn(ReadOnlySpan<byte> blob, [NotNullWhen(true)] out string? keyArn) =>
        TryReadHeader(blob, out keyArn, out _, out _);

    /// <summary>Reads the key ARN and the material version from a blob's header; false when the blob is not one of ours.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> blob, [NotNullWhen(true)] out string? keyArn, out int materialVersion) =>
        TryReadHeader(blob, out keyArn, out materialVersion, out _);

    private static bool TryReadHeader(ReadOnlySpan<byte> blob, [NotNullWhen(true)] out string? keyArn, out int materialVersion, out int headerLength)
    {
        keyArn = null;
        materialVersion = 0;
        headerLength = 0;
        if (blob.Length < 3 || blob[0] is not (Version or RotatedVersion))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(blob[1..]);
        var versionLength = blob[0] == RotatedVersion ? 2 : 0;
        if (blob.Length < 3 + length + versionLength + AesGcmSealer.Overhead)
        {
            return false;
        }

        if (versionLength > 0)
        {
            materialVersion = BinaryPrimitives.ReadUInt16BigEndian(blob[(3 + length)..]);
            if (materialVersion == 0)
            {
                return false;
            }
        }

        headerLength = 3 + length + versionLength;

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
        if (!TryReadHeader(blob, out _, out _, out var headerLength))
        {
            throw Invalid();
        }

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

    private static byte[] Header(string keyArn, int materialVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(materialVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(materialVersion, ushort.MaxValue);
        var arnBytes = Encoding.UTF8.GetBytes(keyArn);
        var versionLength = materialVersion == 0 ? 0 : 2;
        var header = new byte[3 + arnBytes.Length + versionLength];
        header[0] = materialVersion == 0 ? Version : RotatedVersion;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(1), (ushort)arnBytes.Length);
        arnBytes.CopyTo(header, 3);
        if (versionLength > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(3 + arnBytes.Length), (ushort)materialVersion);
        }

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
