using System.Security.Cryptography;
using System.Text;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Kms;
using static GrantSim.Domain.Tests.Samples;

namespace GrantSim.Domain.Tests.Crypto;

public sealed class KeyCryptographyTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("sign me");

    private static KmsKey Key(string spec, string usage) =>
        KeyLifecycle.Create(new KeyCreationFacts(KeyId, Account, Region, KeyManager.Customer, spec, DefaultKeyPolicies.CustomerManaged(Partition.Aws, Account), null, spec, usage), T0);

    [Theory]
    [InlineData("RSA_2048", "RSASSA_PSS_SHA_256")]
    [InlineData("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_512")]
    [InlineData("ECC_NIST_P256", "ECDSA_SHA_256")]
    [InlineData("ECC_NIST_P384", "ECDSA_SHA_384")]
    [InlineData("ECC_NIST_P521", "ECDSA_SHA_512")]
    [InlineData("ECC_SECG_P256K1", "ECDSA_SHA_256")]
    public void Signatures_VerifyWithThePublicKeyAlone_AndNotForAnotherMessage(string spec, string algorithm)
    {
        var key = Key(spec, KeySpecs.SignVerify);
        var signature = KeyCryptography.Sign(key, Message, "RAW", algorithm);

        KeyCryptography.Verify(key, Message, "RAW", algorithm, signature);
        Assert.True(VerifiesWithPublicKey(KeyCryptography.PublicKey(key), spec, algorithm, signature));
        var error = Assert.Throws<AwsServiceException>(() => KeyCryptography.Verify(key, [.. Message, 1], "RAW", algorithm, signature));
        Assert.Equal(AwsErrorCodes.KmsInvalidSignature, error.ErrorCode);
    }

    [Fact]
    public void DigestMessages_SignTheDigestAsGiven_AndMustHaveItsLength()
    {
        var key = Key("ECC_NIST_P256", KeySpecs.SignVerify);
        var digest = SHA256.HashData(Message);

        KeyCryptography.Verify(key, Message, "RAW", "ECDSA_SHA_256", KeyCryptography.Sign(key, digest, "DIGEST", "ECDSA_SHA_256"));
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => KeyCryptography.Sign(key, digest[..31], "DIGEST", "ECDSA_SHA_256")).ErrorCode);
    }

    [Theory]
    [InlineData("ECC_NIST_P256", "ECDSA_SHA_384", AwsErrorCodes.InvalidKeyUsage)]
    [InlineData("RSA_2048", "ECDSA_SHA_256", AwsErrorCodes.InvalidKeyUsage)]
    public void AnAlgorithmTheKeyDoesNotHave_IsInvalidKeyUsage(string spec, string algorithm, string errorCode)
    {
        var key = Key(spec, KeySpecs.SignVerify);
        Assert.Equal(errorCode, Assert.Throws<AwsServiceException>(() => KeyCryptography.Sign(key, Message, "RAW", algorithm)).ErrorCode);
    }

    [Fact]
    public void RsaEncryption_RoundTrips_OnlyWithOaep_AndWithoutAnEncryptionContext()
    {
        var key = Key("RSA_3072", KeySpecs.EncryptDecrypt);
        var blob = KeyCryptography.RsaEncrypt(key, Message, KeySpecs.RsaOaepSha256, null);

        Assert.Equal(Message, KeyCryptography.RsaDecrypt(key, blob, KeySpecs.RsaOaepSha256, null));
        Assert.Equal(AwsErrorCodes.InvalidCiphertext, Assert.Throws<AwsServiceException>(() => KeyCryptography.RsaDecrypt(key, blob, KeySpecs.RsaOaepSha1, null)).ErrorCode);
        Assert.Equal(AwsErrorCodes.InvalidKeyUsage, Assert.Throws<AwsServiceException>(() => KeyCryptography.RsaEncrypt(key, Message, null, null)).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() =>
            KeyCryptography.RsaEncrypt(key, Message, KeySpecs.RsaOaepSha256, EncryptionContext.Of(("a", "b")))).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() =>
            KeyCryptography.RsaEncrypt(key, new byte[319], KeySpecs.RsaOaepSha256, null)).ErrorCode);
        Assert.Equal(318, KeyCryptography.RsaDecrypt(key, KeyCryptography.RsaEncrypt(key, new byte[318], KeySpecs.RsaOaepSha256, null), KeySpecs.RsaOaepSha256, null).Length);
    }

    [Theory]
    [InlineData("HMAC_256", "HMAC_SHA_256")]
    [InlineData("HMAC_384", "HMAC_SHA_384")]
    [InlineData("HMAC_512", "HMAC_SHA_512")]
    [InlineData("HMAC_224", "HMAC_SHA_224")]
    public void Macs_AreHmacsOfTheKeysSecret(string spec, string algorithm)
    {
        var key = Key(spec, KeySpecs.GenerateVerifyMac);
        var mac = KeyCryptography.Mac(key, Message, algorithm);

        Assert.Equal(int.Parse(spec[5..], System.Globalization.CultureInfo.InvariantCulture) / 8, key.Material.Length);
        KeyCryptography.VerifyMac(key, Message, algorithm, mac);
        Assert.Equal(AwsErrorCodes.InvalidMac, Assert.Throws<AwsServiceException>(() => KeyCryptography.VerifyMac(key, Message, algorithm, [.. mac[..^1], (byte)(mac[^1] ^ 1)])).ErrorCode);
        if (algorithm == "HMAC_SHA_256")
        {
            Assert.Equal(HMACSHA256.HashData(key.Material, Message), mac);
        }
    }

    [Fact]
    public void Sha224_MatchesFipsAndRfc4231Vectors()
    {
        Assert.Equal("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", Convert.ToHexStringLower(Sha224.HashData("abc"u8)));
        Assert.Equal("d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f", Convert.ToHexStringLower(Sha224.HashData([])));
        Assert.Equal("75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525",
            Convert.ToHexStringLower(Sha224.HashData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8)));
        Assert.Equal("896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22", Convert.ToHexStringLower(Sha224.Hmac(Enumerable.Repeat((byte)0x0b, 20).ToArray(), "Hi There"u8)));
        // RFC 4231 test case 6: a key longer than the block is hashed first.
        Assert.Equal("95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e",
            Convert.ToHexStringLower(Sha224.Hmac(Enumerable.Repeat((byte)0xaa, 131).ToArray(), "Test Using Larger Than Block-Size Key - Hash Key First"u8)));
    }

    [Fact]
    public void SharedSecrets_AgreeWithThePeersOwnDerivation()
    {
        var key = Key("ECC_NIST_P384", KeySpecs.KeyAgreement);
        using var peer = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        using var kmsPublic = ECDiffieHellman.Create();
        kmsPublic.ImportSubjectPublicKeyInfo(KeyCryptography.PublicKey(key), out _);

        var secret = KeyCryptography.DeriveSharedSecret(key, KeySpecs.Ecdh, peer.ExportSubjectPublicKeyInfo());

        Assert.Equal(peer.DeriveRawSecretAgreement(kmsPublic.PublicKey), secret);
        using var otherCurve = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => KeyCryptography.DeriveSharedSecret(key, KeySpecs.Ecdh, otherCurve.ExportSubjectPublicKeyInfo())).ErrorCode);
    }

    [Theory]
    [InlineData("ECC_SECG_P256K1", KeySpecs.KeyAgreement)]
    [InlineData("HMAC_256", KeySpecs.EncryptDecrypt)]
    [InlineData("SYMMETRIC_DEFAULT", KeySpecs.SignVerify)]
    [InlineData("ECC_NIST_P256", KeySpecs.EncryptDecrypt)]
    public void UsagesTheSpecCannotHave_AreRefusedAtCreation(string spec, string usage)
    {
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() => Key(spec, usage)).ErrorCode);
    }

    [Theory]
    [InlineData("SM2")]
    [InlineData("ML_DSA_44")]
    [InlineData("ECC_NIST_EDWARDS25519")]
    public void SpecsNotSimulated_AreRefusedPlainly(string spec)
    {
        Assert.Equal(AwsErrorCodes.UnsupportedOperation, Assert.Throws<AwsServiceException>(() => Key(spec, KeySpecs.SignVerify)).ErrorCode);
    }

    [Fact]
    public void KeyPairs_HoldMatchingPrivateAndPublicKeys()
    {
        var (privateKey, publicKey) = KeyCryptography.NewKeyPair("ECC_NIST_P256");
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(privateKey, out _);
        Assert.Equal(publicKey, ecdsa.ExportSubjectPublicKeyInfo());
        Assert.Equal(AwsErrorCodes.UnsupportedOperation, Assert.Throws<AwsServiceException>(() => KeyCryptography.NewKeyPair("SM2")).ErrorCode);
    }

    [Fact]
    public void Grants_OnAsymmetricKeys_AllowOnlyWhatTheKeyDoes_AndTakeNoContextConstraint()
    {
        var key = Key("ECC_NIST_P256", KeySpecs.SignVerify);
        GrantLifecycle.RequireFitsTheKey(key, GrantRequest(operations: [KmsOperations.Sign, KmsOperations.Verify, KmsOperations.GetPublicKey]));
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() =>
            GrantLifecycle.RequireFitsTheKey(key, GrantRequest(operations: [KmsOperations.Decrypt]))).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() =>
            GrantLifecycle.RequireFitsTheKey(key, GrantRequest(operations: [KmsOperations.Sign], constraints: new GrantConstraints(EncryptionContextEquals: EncryptionContext.Of(("a", "b")))))).ErrorCode);
        Assert.Equal(AwsErrorCodes.Validation, Assert.Throws<AwsServiceException>(() =>
            GrantLifecycle.RequireFitsTheKey(CustomerKey(), GrantRequest(operations: [KmsOperations.Sign]))).ErrorCode);
    }

    private static bool VerifiesWithPublicKey(byte[] spki, string spec, string algorithm, byte[] signature)
    {
        var hash = algorithm.EndsWith("256", StringComparison.Ordinal) ? HashAlgorithmName.SHA256 : algorithm.EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
        if (spec.StartsWith("RSA", StringComparison.Ordinal))
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(spki, out _);
            return rsa.VerifyData(Message, signature, hash, algorithm.Contains("PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
        return ecdsa.VerifyData(Message, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }
}
