using System.Security.Cryptography;
using GrantSim.Aws;
using GrantSim.Kms;

namespace GrantSim.Crypto;

/// <summary>
/// The cryptography of asymmetric and HMAC KMS keys, with .NET's own implementations (OpenSSL underneath):
/// RSA-OAEP encryption, RSA PSS / PKCS#1 v1.5 and ECDSA signatures (DER, as KMS returns them), HMAC,
/// ECDH, and key pairs for GenerateDataKeyPair. Keys are exchanged as KMS exchanges them:
/// SubjectPublicKeyInfo (DER) for public keys, PKCS#8 (DER) for private ones — so OpenSSL and Python's
/// <c>cryptography</c> read and check everything here. Every refusal is KMS's exception. Pure.
/// </summary>
public static class KeyCryptography
{
    /// <summary>The largest message Sign, Verify, GenerateMac and VerifyMac take (the model's PlaintextType).</summary>
    public const int MaxMessageLength = 4096;

    /// <summary>New material for a key of <paramref name="spec"/>: a private key (PKCS#8), an HMAC secret, or 256 bits for AES-GCM.</summary>
    public static byte[] NewMaterial(KeySpecs.Spec spec)
    {
        if (spec.IsRsa)
        {
            using var rsa = RSA.Create(RsaBits(spec.Name));
            return rsa.ExportPkcs8PrivateKey();
        }

        if (spec.IsEcc)
        {
            using var ecdsa = ECDsa.Create(Curve(spec.Name));
            return ecdsa.ExportPkcs8PrivateKey();
        }

        return spec.IsHmac ? RandomNumberGenerator.GetBytes(HmacBits(spec.Name) / 8) : AesGcmSealer.NewKey();
    }

    /// <summary>A key's usage, checked against its spec at creation (ValidationException, as CreateKey answers).</summary>
    public static string ValidateUsage(KeySpecs.Spec spec, string? usage)
    {
        var chosen = usage ?? KeySpecs.EncryptDecrypt;
        return spec.Usages.Contains(chosen)
            ? chosen
            : throw new AwsServiceException(AwsErrorCodes.Validation,
                $"KeyUsage {chosen} is not compatible with KeySpec {spec.Name}: a {spec.Name} key may have KeyUsage {string.Join(" or ", spec.Usages)}.");
    }

    /// <summary>The public key (SubjectPublicKeyInfo, DER) of an asymmetric key; UnsupportedOperationException for the others.</summary>
    public static byte[] PublicKey(KmsKey key)
    {
        if (key.KeySpec.IsRsa)
        {
            using var rsa = Rsa(key);
            return rsa.ExportSubjectPublicKeyInfo();
        }

        if (key.KeySpec.IsEcc)
        {
            using var ecdsa = Ecdsa(key);
            return ecdsa.ExportSubjectPublicKeyInfo();
        }

        throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} is a {key.KeySpec.Name} key: only asymmetric KMS keys have a public key.");
    }

    // ---- RSA encryption ----

    /// <summary>RSAES-OAEP with SHA-1 or SHA-256: the ciphertext is the bare RSA output, with no header and no encryption context (KMS supports none for asymmetric keys).</summary>
    public static byte[] RsaEncrypt(KmsKey key, byte[] plaintext, string? algorithm, EncryptionContext? context)
    {
        var padding = OaepPadding(key, algorithm, context);
        var max = RsaBits(key.KeySpec.Name) / 8 - 2 * (padding.OaepHashAlgorithm == HashAlgorithmName.SHA1 ? 20 : 32) - 2;
        if (plaintext.Length > max)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation,
                $"Plaintext of {plaintext.Length} bytes is too long for {key.KeySpec.Name} with {algorithm}: at most {max} bytes.");
        }

        using var rsa = Rsa(key);
        return rsa.Encrypt(plaintext, padding);
    }

    public static byte[] RsaDecrypt(KmsKey key, byte[] ciphertext, string? algorithm, EncryptionContext? context)
    {
        var padding = OaepPadding(key, algorithm, context);
        using var rsa = Rsa(key);
        try
        {
            return rsa.Decrypt(ciphertext, padding);
        }
        catch (CryptographicException)
        {
            throw KmsCiphertext.Invalid();
        }
    }

    // ---- signatures ----

    public static byte[] Sign(KmsKey key, byte[] message, string? messageType, string algorithm)
    {
        var (hash, digest) = Digest(key, message, messageType, algorithm);
        if (key.KeySpec.IsRsa)
        {
            using var rsa = Rsa(key);
            return rsa.SignHash(digest, hash, RsaSignaturePadding(algorithm));
        }

        using var ecdsa = Ecdsa(key);
        return ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Checks a signature: KMSInvalidSignatureException when it does not verify, as KMS answers (never "false").</summary>
    public static void Verify(KmsKey key, byte[] message, string? messageType, string algorithm, byte[] signature)
    {
        var (hash, digest) = Digest(key, message, messageType, algorithm);
        bool valid;
        try
        {
            if (key.KeySpec.IsRsa)
            {
                using var rsa = Rsa(key);
                valid = rsa.VerifyHash(digest, signature, hash, RsaSignaturePadding(algorithm));
            }
            else
            {
                using var ecdsa = Ecdsa(key);
                valid = ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
            }
        }
        catch (CryptographicException)
        {
            valid = false;
        }

        if (!valid)
        {
            throw new AwsServiceException(AwsErrorCodes.KmsInvalidSignature, "The signature verification failed: the signature does not match the message, the key and the signing algorithm.");
        }
    }

    // ---- HMAC ----

    public static byte[] Mac(KmsKey key, byte[] message, string algorithm)
    {
        RequireUsage(key, KeySpecs.GenerateVerifyMac, "GenerateMac and VerifyMac");
        RequireAlgorithm(key, key.KeySpec.MacAlgorithms, algorithm, "MAC");
        RequireMessage(message);
        return algorithm switch
        {
            "HMAC_SHA_224" => Sha224.Hmac(key.Material, message),
            "HMAC_SHA_256" => HMACSHA256.HashData(key.Material, message),
            "HMAC_SHA_384" => HMACSHA384.HashData(key.Material, message),
            _ => HMACSHA512.HashData(key.Material, message),
        };
    }

    /// <summary>Checks a MAC in constant time: KMSInvalidMacException when it does not match.</summary>
    public static void VerifyMac(KmsKey key, byte[] message, string algorithm, byte[] mac)
    {
        if (!CryptographicOperations.FixedTimeEquals(Mac(key, message, algorithm), mac))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidMac, "The MAC verification failed: the MAC does not match the message, the key and the MAC algorithm.");
        }
    }

    // ---- key agreement ----

    /// <summary>ECDH with the key's private key and a peer's public key on the same curve: the raw shared secret (the x-coordinate), as KMS returns it.</summary>
    public static byte[] DeriveSharedSecret(KmsKey key, string algorithm, byte[] peerPublicKey)
    {
        RequireUsage(key, KeySpecs.KeyAgreement, "DeriveSharedSecret");
        RequireAlgorithm(key, key.KeySpec.KeyAgreementAlgorithms, algorithm, "key agreement");
        using var own = ECDiffieHellman.Create();
        own.ImportPkcs8PrivateKey(key.Material, out _);
        using var peer = ECDiffieHellman.Create();
        try
        {
            peer.ImportSubjectPublicKeyInfo(peerPublicKey, out _);
            if (peer.KeySize != own.KeySize || peer.ExportParameters(false).Curve.Oid.Value != own.ExportParameters(false).Curve.Oid.Value)
            {
                throw new CryptographicException("another curve");
            }

            return own.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (CryptographicException)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation,
                $"PublicKey must be a DER-encoded SubjectPublicKeyInfo of a {key.KeySpec.Name} public key.");
        }
    }

    // ---- data key pairs ----

    /// <summary>A new key pair of <paramref name="keyPairSpec"/>: the private key (PKCS#8) and the public key (SubjectPublicKeyInfo).</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) NewKeyPair(string keyPairSpec)
    {
        if (!KeySpecs.DataKeyPairs.Contains(keyPairSpec))
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"GrantSim does not simulate key pairs of KeyPairSpec {keyPairSpec} (docs/aws-endpoints.md).");
        }

        var spec = KeySpecs.Of(keyPairSpec);
        if (spec.IsRsa)
        {
            using var rsa = RSA.Create(RsaBits(keyPairSpec));
            return (rsa.ExportPkcs8PrivateKey(), rsa.ExportSubjectPublicKeyInfo());
        }

        using var ecdsa = ECDsa.Create(Curve(keyPairSpec));
        return (ecdsa.ExportPkcs8PrivateKey(), ecdsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The usage a call needs: InvalidKeyUsageException otherwise, as KMS answers a call the key was not made for.</summary>
    public static void RequireUsage(KmsKey key, string usage, string what)
    {
        if (key.KeyUsage != usage)
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidKeyUsage,
                $"{key.Arn} has KeySpec {key.KeySpec.Name} and KeyUsage {key.KeyUsage}: {what} needs a key with KeyUsage {usage}.");
        }
    }

    private static (HashAlgorithmName Hash, byte[] Digest) Digest(KmsKey key, byte[] message, string? messageType, string algorithm)
    {
        RequireUsage(key, KeySpecs.SignVerify, "Sign and Verify");
        RequireAlgorithm(key, key.KeySpec.SigningAlgorithms, algorithm, "signing");
        RequireMessage(message);
        var hash = algorithm.EndsWith("_256", StringComparison.Ordinal) ? HashAlgorithmName.SHA256
            : algorithm.EndsWith("_384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384
            : HashAlgorithmName.SHA512;
        switch (messageType ?? "RAW")
        {
            case "RAW":
                return (hash, hash == HashAlgorithmName.SHA256 ? SHA256.HashData(message) : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(message) : SHA512.HashData(message));
            case "DIGEST":
                var length = hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
                return message.Length == length
                    ? (hash, message)
                    : throw new AwsServiceException(AwsErrorCodes.Validation, $"A DIGEST message for {algorithm} must be a {hash.Name} digest of {length} bytes, not {message.Length}.");
            default:
                throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"GrantSim does not simulate MessageType {messageType} (ML-DSA keys are not simulated).");
        }
    }

    private static RSAEncryptionPadding OaepPadding(KmsKey key, string? algorithm, EncryptionContext? context)
    {
        RequireUsage(key, KeySpecs.EncryptDecrypt, "Encrypt and Decrypt");
        if (algorithm is null or KeySpecs.SymmetricDefault)
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidKeyUsage,
                $"{key.Arn} is a {key.KeySpec.Name} key: name its encryption algorithm ({KeySpecs.RsaOaepSha1} or {KeySpecs.RsaOaepSha256}); SYMMETRIC_DEFAULT is for symmetric keys.");
        }

        RequireAlgorithm(key, key.KeySpec.EncryptionAlgorithms, algorithm, "encryption");
        if (context is { Count: > 0 })
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, "EncryptionContext is not supported with asymmetric KMS keys.");
        }

        return algorithm == KeySpecs.RsaOaepSha1 ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256;
    }

    private static RSASignaturePadding RsaSignaturePadding(string algorithm) =>
        algorithm.StartsWith("RSASSA_PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    private static void RequireAlgorithm(KmsKey key, IReadOnlyList<string> allowed, string algorithm, string kind)
    {
        if (!allowed.Contains(algorithm))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidKeyUsage,
                $"The {kind} algorithm {algorithm} is not valid for {key.Arn}, a {key.KeySpec.Name} key: use {string.Join(", ", allowed)}.");
        }
    }

    private static void RequireMessage(byte[] message)
    {
        if (message.Length is < 1 or > MaxMessageLength)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length between 1 and {MaxMessageLength}");
        }
    }

    private static RSA Rsa(KmsKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(key.Material, out _);
        return rsa;
    }

    private static ECDsa Ecdsa(KmsKey key)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.Material, out _);
        return ecdsa;
    }

    private static int RsaBits(string spec) => int.Parse(spec["RSA_".Length..], System.Globalization.CultureInfo.InvariantCulture);

    private static int HmacBits(string spec) => int.Parse(spec["HMAC_".Length..], System.Globalization.CultureInfo.InvariantCulture);

    private static ECCurve Curve(string spec) => spec switch
    {
        "ECC_NIST_P256" => ECCurve.NamedCurves.nistP256,
        "ECC_NIST_P384" => ECCurve.NamedCurves.nistP384,
        "ECC_NIST_P521" => ECCurve.NamedCurves.nistP521,
        _ => ECCurve.CreateFromFriendlyName("secp256k1"),
    };
}
