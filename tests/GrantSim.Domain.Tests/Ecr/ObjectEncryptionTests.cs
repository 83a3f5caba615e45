using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ObjectEncryptionTests
{
    private const string ObjectArn = "arn:aws-us-gov:s3:::us-gov-west-1-grantsim-layer-bucket/x/sha256:abc";
    private static readonly byte[] StorageKey = AesGcmSealer.NewKey();
    private static readonly EncryptionContext Context = EcrEncryptionContext.For(ObjectArn, RepositoryArn());

    [Property]
    public bool SealContent_ThenOpenContent_RoundTrips(byte[] content)
    {
        var dataKey = AesGcmSealer.NewKey();
        var sealedContent = ObjectEncryption.SealContent(dataKey, content, Context);
        return ObjectEncryption.OpenContent(dataKey, sealedContent, Context).SequenceEqual(content);
    }

    [Property]
    public bool DualLayer_SealedTwice_RoundTrips(byte[] content)
    {
        var dataKey = AesGcmSealer.NewKey();
        var inner = ObjectEncryption.SealContent(dataKey, content, Context);

        var (sealedTwice, outerKey) = ObjectEncryption.AddOuterLayer(StorageKey, inner, ObjectArn);
        var innerAgain = ObjectEncryption.RemoveOuterLayer(StorageKey, sealedTwice, outerKey, ObjectArn);

        return !sealedTwice.SequenceEqual(inner)
            && outerKey.KmsKeyArn is null
            && innerAgain.SequenceEqual(inner)
            && ObjectEncryption.OpenContent(dataKey, innerAgain, Context).SequenceEqual(content);
    }

    [Fact]
    public void OpenContent_WithAnotherContext_IsAServerError()
    {
        var dataKey = AesGcmSealer.NewKey();
        var sealedContent = ObjectEncryption.SealContent(dataKey, [1, 2, 3], Context);

        var error = Assert.Throws<AwsServiceException>(() =>
            ObjectEncryption.OpenContent(dataKey, sealedContent, EcrEncryptionContext.For(ObjectArn, RepositoryArn("other"))));

        Assert.Equal(AwsErrorCodes.Server, error.ErrorCode);
        Assert.Contains("content", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenContent_WithAnotherDataKey_IsAServerError()
    {
        var sealedContent = ObjectEncryption.SealContent(AesGcmSealer.NewKey(), [1, 2, 3], Context);

        Assert.Equal(AwsErrorCodes.Server,
            Assert.Throws<AwsServiceException>(() => ObjectEncryption.OpenContent(AesGcmSealer.NewKey(), sealedContent, Context)).ErrorCode);
    }

    [Fact]
    public void StorageWrappedDataKey_RoundTrips_OnlyForTheSameObjectAndLayer()
    {
        var dataKey = AesGcmSealer.NewKey();

        var wrapped = ObjectEncryption.WrapWithStorageKey(StorageKey, dataKey, ObjectArn, ObjectEncryption.InnerLayer);

        Assert.Null(wrapped.KmsKeyArn);
        Assert.Equal(dataKey, ObjectEncryption.UnwrapStorageKey(StorageKey, wrapped, ObjectArn, ObjectEncryption.InnerLayer));
        Assert.Equal(AwsErrorCodes.Server, Assert.Throws<AwsServiceException>(() =>
            ObjectEncryption.UnwrapStorageKey(StorageKey, wrapped, ObjectArn, ObjectEncryption.OuterLayer)).ErrorCode);
        Assert.Equal(AwsErrorCodes.Server, Assert.Throws<AwsServiceException>(() =>
            ObjectEncryption.UnwrapStorageKey(StorageKey, wrapped, ObjectArn + "x", ObjectEncryption.InnerLayer)).ErrorCode);
        Assert.Equal(AwsErrorCodes.Server, Assert.Throws<AwsServiceException>(() =>
            ObjectEncryption.UnwrapStorageKey(AesGcmSealer.NewKey(), wrapped, ObjectArn, ObjectEncryption.InnerLayer)).ErrorCode);
    }

    [Fact]
    public void RemoveOuterLayer_OfAnotherObjectOrUnderAnotherStorageKey_IsAServerError()
    {
        var (sealedTwice, outerKey) = ObjectEncryption.AddOuterLayer(StorageKey, [7, 7, 7], ObjectArn);

        Assert.Equal(AwsErrorCodes.Server, Assert.Throws<AwsServiceException>(() =>
            ObjectEncryption.RemoveOuterLayer(StorageKey, sealedTwice, outerKey, ObjectArn + "2")).ErrorCode);
        Assert.Equal(AwsErrorCodes.Server, Assert.Throws<AwsServiceException>(() =>
            ObjectEncryption.RemoveOuterLayer(AesGcmSealer.NewKey(), sealedTwice, outerKey, ObjectArn)).ErrorCode);
    }

    [Fact]
    public void AddOuterLayer_UsesAnIndependentKeyEachTime()
    {
        var (first, firstKey) = ObjectEncryption.AddOuterLayer(StorageKey, [1], ObjectArn);
        var (second, secondKey) = ObjectEncryption.AddOuterLayer(StorageKey, [1], ObjectArn);

        Assert.NotEqual(first, second);
        Assert.NotEqual(
            ObjectEncryption.UnwrapStorageKey(StorageKey, firstKey, ObjectArn, ObjectEncryption.OuterLayer),
            ObjectEncryption.UnwrapStorageKey(StorageKey, secondKey, ObjectArn, ObjectEncryption.OuterLayer));
    }

    [Fact]
    public void KmsWrappedDataKey_WithTheRepositoryContext_Unwraps_AndWithAnotherDoesNot()
    {
        var material = AesGcmSealer.NewKey();
        var dataKey = AesGcmSealer.NewKey();
        var wrapped = KmsCiphertext.Encrypt(material, KeyArn, dataKey, Context);
        var sealedContent = ObjectEncryption.SealContent(dataKey, [42], Context);

        var unwrapped = KmsCiphertext.Decrypt(material, wrapped, EcrEncryptionContext.For(ObjectArn, RepositoryArn()));

        Assert.Equal(new byte[] { 42 }, ObjectEncryption.OpenContent(unwrapped, sealedContent, Context));
        Assert.Equal(AwsErrorCodes.InvalidCiphertext, Assert.Throws<AwsServiceException>(() =>
            KmsCiphertext.Decrypt(material, wrapped, EcrEncryptionContext.For(ObjectArn, RepositoryArn("other")))).ErrorCode);
    }

    [Fact]
    public void RemoveOuterLayer_OfTamperedBytes_IsAServerErrorAboutTheOuterLayer()
    {
        var (sealedTwice, outerKey) = ObjectEncryption.AddOuterLayer(StorageKey, [7, 7, 7], ObjectArn);
        sealedTwice[^1] ^= 0x01;

        var error = Assert.Throws<AwsServiceException>(() => ObjectEncryption.RemoveOuterLayer(StorageKey, sealedTwice, outerKey, ObjectArn));

        Assert.Equal(AwsErrorCodes.Server, error.ErrorCode);
        Assert.Contains("outer layer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnwrapStorageKey_UnderAnotherStorageKey_IsAServerErrorAboutTheDataKey()
    {
        var wrapped = ObjectEncryption.WrapWithStorageKey(StorageKey, AesGcmSealer.NewKey(), ObjectArn, ObjectEncryption.InnerLayer);

        var error = Assert.Throws<AwsServiceException>(() =>
            ObjectEncryption.UnwrapStorageKey(AesGcmSealer.NewKey(), wrapped, ObjectArn, ObjectEncryption.InnerLayer));

        Assert.Equal(AwsErrorCodes.Server, error.ErrorCode);
        Assert.Contains("data key", error.Message, StringComparison.Ordinal);
    }
}
