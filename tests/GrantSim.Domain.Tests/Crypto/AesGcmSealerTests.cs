using GrantSim.Crypto;

namespace GrantSim.Domain.Tests.Crypto;

public sealed class AesGcmSealerTests
{
    private static readonly byte[] Key = AesGcmSealer.NewKey();

    [Property]
    public bool Seal_ThenTryOpen_GivesBackThePlaintext(byte[] plaintext, byte[] associatedData)
    {
        var sealedBytes = AesGcmSealer.Seal(Key, plaintext, associatedData);
        return sealedBytes.Length == plaintext.Length + AesGcmSealer.Overhead
            && AesGcmSealer.TryOpen(Key, sealedBytes, associatedData, out var opened)
            && opened.SequenceEqual(plaintext);
    }

    [Property]
    public bool TryOpen_WithOtherAssociatedData_Fails(byte[] plaintext, NonEmptyArray<byte> associatedData)
    {
        var sealedBytes = AesGcmSealer.Seal(Key, plaintext, associatedData.Get);
        var other = (byte[])associatedData.Get.Clone();
        other[0] ^= 0x80;
        return !AesGcmSealer.TryOpen(Key, sealedBytes, other, out var opened) && opened.Length == 0;
    }

    [Property]
    public bool TryOpen_WithAnyByteFlipped_Fails(NonEmptyArray<byte> plaintext, PositiveInt position, byte mask)
    {
        var sealedBytes = AesGcmSealer.Seal(Key, plaintext.Get, []);
        sealedBytes[position.Get % sealedBytes.Length] ^= mask == 0 ? (byte)1 : mask;
        return !AesGcmSealer.TryOpen(Key, sealedBytes, [], out _);
    }

    [Fact]
    public void TryOpen_WithAnotherKey_Fails()
    {
        var sealedBytes = AesGcmSealer.Seal(Key, [1, 2, 3], [9]);

        Assert.False(AesGcmSealer.TryOpen(AesGcmSealer.NewKey(), sealedBytes, [9], out _));
    }

    [Fact]
    public void TryOpen_ShorterThanNonceAndTag_Fails()
    {
        Assert.False(AesGcmSealer.TryOpen(Key, new byte[AesGcmSealer.Overhead - 1], [], out _));
        Assert.False(AesGcmSealer.TryOpen(Key, [], [], out _));
    }

    [Fact]
    public void Seal_SamePlaintextTwice_UsesFreshNonces()
    {
        var a = AesGcmSealer.Seal(Key, new byte[16], []);
        var b = AesGcmSealer.Seal(Key, new byte[16], []);

        Assert.NotEqual(a, b);
        Assert.NotEqual(a[..AesGcmSealer.NonceSize], b[..AesGcmSealer.NonceSize]);
    }

    [Fact]
    public void Seal_EmptyPlaintext_IsJustNonceAndTag()
    {
        var sealedBytes = AesGcmSealer.Seal(Key, [], []);

        Assert.Equal(AesGcmSealer.Overhead, sealedBytes.Length);
        Assert.True(AesGcmSealer.TryOpen(Key, sealedBytes, [], out var opened));
        Assert.Empty(opened);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void SealAndOpen_WithAKeyThatIsNot256Bits_Throw(int keyLength)
    {
        var key = new byte[keyLength];

        Assert.Throws<ArgumentException>(() => AesGcmSealer.Seal(key, [1], []));
        Assert.Throws<ArgumentException>(() => AesGcmSealer.TryOpen(key, new byte[40], [], out _));
    }

    [Fact]
    public void NewKey_Is256RandomBits()
    {
        var a = AesGcmSealer.NewKey();

        Assert.Equal(32, a.Length);
        Assert.NotEqual(a, AesGcmSealer.NewKey());
    }
}
