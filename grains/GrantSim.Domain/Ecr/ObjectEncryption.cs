using System.Text;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Kms;

namespace GrantSim.Ecr;

/// <summary>
/// Encryption at rest of one object. The content is sealed with AES-256-GCM under a fresh data
/// key, with the encryption context as associated data. The data key is stored beside it, wrapped
/// by KMS or by the storage-managed key. DSSE seals the sealed bytes again under a second,
/// independent storage-managed data key.
/// </summary>
public static class ObjectEncryption
{
    public static byte[] SealContent(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> content, EncryptionContext context) =>
        AesGcmSealer.Seal(dataKey, content, context.ToCanonicalBytes());

    public static byte[] OpenContent(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> sealedContent, EncryptionContext context) =>
        AesGcmSealer.TryOpen(dataKey, sealedContent, context.ToCanonicalBytes(), out var content)
            ? content
            : throw Corrupt("content");

    public static WrappedDataKey WrapWithStorageKey(ReadOnlySpan<byte> storageMasterKey, ReadOnlySpan<byte> dataKey, string objectArn, string layer) =>
        new(AesGcmSealer.Seal(storageMasterKey, dataKey, StorageAssociatedData(objectArn, layer)), null);

    public static byte[] UnwrapStorageKey(ReadOnlySpan<byte> storageMasterKey, WrappedDataKey wrapped, string objectArn, string layer) =>
        AesGcmSealer.TryOpen(storageMasterKey, wrapped.Ciphertext, StorageAssociatedData(objectArn, layer), out var dataKey)
            ? dataKey
            : throw Corrupt("storage-managed data key");

    /// <summary>The second DSSE layer: independent key, independent seal over the first layer's bytes.</summary>
    public static (byte[] Sealed, WrappedDataKey OuterKey) AddOuterLayer(ReadOnlySpan<byte> storageMasterKey, ReadOnlySpan<byte> innerSealed, string objectArn)
    {
        var outerKey = AesGcmSealer.NewKey();
        var sealedTwice = AesGcmSealer.Seal(outerKey, innerSealed, Encoding.UTF8.GetBytes(objectArn));
        return (sealedTwice, WrapWithStorageKey(storageMasterKey, outerKey, objectArn, OuterLayer));
    }

    public static byte[] RemoveOuterLayer(ReadOnlySpan<byte> storageMasterKey, ReadOnlySpan<byte> sealedTwice, WrappedDataKey outerKey, string objectArn)
    {
        var key = UnwrapStorageKey(storageMasterKey, outerKey, objectArn, OuterLayer);
        return AesGcmSealer.TryOpen(key, sealedTwice, Encoding.UTF8.GetBytes(objectArn), out var inner) ? inner : throw Corrupt("outer layer");
    }

    public const string InnerLayer = "inner";
    public const string OuterLayer = "outer";

    private static byte[] StorageAssociatedData(string objectArn, string layer) => Encoding.UTF8.GetBytes($"{layer}|{objectArn}");

    private static AwsServiceException Corrupt(string what) =>
        new(AwsErrorCodes.Server, $"The stored object's {what} failed authentication: the data at rest is corrupt.");
}
