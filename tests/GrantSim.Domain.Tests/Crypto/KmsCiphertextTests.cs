using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Crypto;

public sealed class KmsCiphertextTests
{
    private static readonly byte[] Material = AesGcmSealer.NewKey();
    private static readonly byte[] DataKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static readonly EncryptionContext Context = EncryptionContext.Of(
        ("aws:s3:arn", "arn:aws:s3:::us-east-1-grantsim-layer-bucket/x/sha256:abc"), ("aws:ecr:arn", RepositoryArn()));

    [Fact]
    public void Decrypt_WithTheSameContext_GivesBackThePlaintext()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context);

        Assert.Equal(DataKey, KmsCiphertext.Decrypt(Material, blob, Context));
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Decrypt_WithTheSamePairsInAnyOrder_Succeeds(Generators.ShuffledContext c, NonEmptyArray<byte> plaintext)
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, plaintext.Get, c.Original);
        return KmsCiphertext.Decrypt(Material, blob, c.Reordered).SequenceEqual(plaintext.Get);
    }

    [Property(Arbitrary = new[] { typeof(Generators) })]
    public bool Decrypt_WithAnotherContext_IsInvalidCiphertext(Generators.DifferentContexts c)
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, c.Original);
        return IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, blob, c.Other));
    }

    [Fact]
    public void Decrypt_WithAKeyOrValueInAnotherCase_IsInvalidCiphertext()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, EncryptionContext.Of(("Team", "Blue")));

        Assert.True(IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, blob, EncryptionContext.Of(("team", "Blue")))));
        Assert.True(IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, blob, EncryptionContext.Of(("Team", "blue")))));
        Assert.True(IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, blob, EncryptionContext.Empty)));
    }

    [Fact]
    public void Decrypt_WithAnyByteFlipped_IsInvalidCiphertext()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context);

        for (var i = 0; i < blob.Length; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xff })
            {
                var tampered = (byte[])blob.Clone();
                tampered[i] ^= mask;
                Assert.True(IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, tampered, Context)), $"byte {i} ^ {mask:x2}");
            }
        }
    }

    [Property]
    public bool Decrypt_TruncatedOrExtended_IsInvalidCiphertext(PositiveInt cut, byte extra)
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context);
        var truncated = blob[..(cut.Get % blob.Length)];
        byte[] extended = [.. blob, extra];
        return IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, truncated, Context))
            && IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, extended, Context));
    }

    [Fact]
    public void Decrypt_UnderAnotherKeysMaterial_IsInvalidCiphertext()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context);

        Assert.True(IsInvalidCiphertext(() => KmsCiphertext.Decrypt(AesGcmSealer.NewKey(), blob, Context)));
    }

    [Property]
    public bool Decrypt_Garbage_IsInvalidCiphertext(byte[] garbage) =>
        IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, garbage, Context));

    [Fact]
    public void TryReadKeyArn_ReadsTheEncryptingKey()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context);

        Assert.True(KmsCiphertext.TryReadKeyArn(blob, out var keyArn));
        Assert.Equal(KeyArn, keyArn);
    }

    [Fact]
    public void TryReadKeyArn_NotOneOfOurBlobs_IsFalse()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context);
        var wrongVersion = (byte[])blob.Clone();
        wrongVersion[0] = 3;

        Assert.False(KmsCiphertext.TryReadKeyArn([], out _));
        Assert.False(KmsCiphertext.TryReadKeyArn([1, 0], out _));
        Assert.False(KmsCiphertext.TryReadKeyArn(wrongVersion, out _));
        Assert.False(KmsCiphertext.TryReadKeyArn(blob[..(3 + KeyArn.Length + AesGcmSealer.Overhead - 1)], out _));
        Assert.False(KmsCiphertext.TryReadKeyArn(KmsCiphertext.Encrypt(Material, RepositoryArn(), DataKey, Context), out _));
    }

    [Fact]
    public void TryReadKeyArn_InvalidUtf8_IsFalse()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context);
        blob[3 + 5] = 0xC3;

        Assert.False(KmsCiphertext.TryReadKeyArn(blob, out _));
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_GivesDifferentBlobs()
    {
        Assert.NotEqual(KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context), KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void ValidatePlaintextLength_OutsideOneTo4096_IsValidationException(int length)
    {
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => KmsCiphertext.ValidatePlaintextLength(length)).ErrorCode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public void ValidatePlaintextLength_WithinOneTo4096_Passes(int length)
    {
        Assert.Null(Record.Exception(() => KmsCiphertext.ValidatePlaintextLength(length)));
    }

    private static bool IsInvalidCiphertext(Action decrypt) =>
        Record.Exception(decrypt) is AwsServiceException { ErrorCode: AwsErrorCodes.InvalidCiphertext };

    [Fact]
    public void RequireNamedKey_OfAnotherKey_IsIncorrectKey()
    {
        var keyArn = Aws.Arn.KmsKey("us-east-1", "111122223333", Guid.NewGuid().ToString()).ToString();
        var otherArn = Aws.Arn.KmsKey("us-east-1", "111122223333", Guid.NewGuid().ToString()).ToString();

        KmsCiphertext.RequireNamedKey(keyArn, keyArn);
        Assert.Equal(Aws.AwsErrorCodes.IncorrectKey, Assert.Throws<Aws.AwsServiceException>(() => KmsCiphertext.RequireNamedKey(keyArn, otherArn)).ErrorCode);
    }

    [Property]
    public bool TryReadKeyArn_OfAnyBlobEncryptMade_IsTheKey(byte[] plaintext)
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, plaintext ?? [], Context);

        return KmsCiphertext.TryReadKeyArn(blob, out var keyArn) && keyArn == KeyArn
            && KmsCiphertext.Decrypt(Material, blob, Context).SequenceEqual(plaintext ?? []);
    }

    [Fact]
    public void TryReadKeyArn_OfABlobOfJustHeaderNonceAndTag_IsTheKey()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, [], Context);

        Assert.Equal(3 + KeyArn.Length + AesGcmSealer.Overhead, blob.Length);
        Assert.True(KmsCiphertext.TryReadKeyArn(blob, out var keyArn));
        Assert.Equal(KeyArn, keyArn);
        Assert.Empty(KmsCiphertext.Decrypt(Material, blob, Context));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void ValidatePlaintextLength_OutsideOneTo4096_SaysWhichFieldAndTheLimit(int length)
    {
        var error = Assert.Throws<AwsServiceException>(() => KmsCiphertext.ValidatePlaintextLength(length));

        Assert.StartsWith("1 validation error detected: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'plaintext'", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireNamedKey_OfAnotherKey_NamesTheKeyTheCiphertextNeeds()
    {
        var otherArn = Aws.Arn.KmsKey(Region, Account, OtherKeyId).ToString();

        var error = Assert.Throws<AwsServiceException>(() => KmsCiphertext.RequireNamedKey(KeyArn, otherArn));

        Assert.Contains(KeyArn, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_WithAnotherContext_SaysTheContextMayBeWhatDiffers()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, DataKey, Context);

        var error = Assert.Throws<AwsServiceException>(() => KmsCiphertext.Decrypt(Material, blob, EncryptionContext.Empty));

        Assert.Equal(AwsErrorCodes.InvalidCiphertext, error.ErrorCode);
        Assert.Contains("encryption context", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(65535)]
    public void RotatedMaterial_IsNamedInTheHeader_AndBoundToIt(int version)
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, version, DataKey, Context);

        Assert.True(KmsCiphertext.TryReadHeader(blob, out var arn, out var read));
        Assert.Equal((KeyArn, version), (arn, read));
        Assert.Equal(DataKey, KmsCiphertext.Decrypt(Material, blob, Context));

        // Naming another version in the header breaks the tag: a blob cannot be steered to other material.
        var steered = (byte[])blob.Clone();
        steered[3 + KeyArn.Length + 1] ^= 1;
        Assert.True(IsInvalidCiphertext(() => KmsCiphertext.Decrypt(Material, steered, Context)));
    }

    [Fact]
    public void VersionZero_KeepsTheOriginalFormat()
    {
        var blob = KmsCiphertext.Encrypt(Material, KeyArn, 0, DataKey, Context);
        Assert.Equal(1, blob[0]);
        Assert.True(KmsCiphertext.TryReadHeader(blob, out _, out var version));
        Assert.Equal(0, version);
    }
}
