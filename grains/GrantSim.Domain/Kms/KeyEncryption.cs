using GrantSim.Aws;
using GrantSim.Crypto;

namespace GrantSim.Kms;

/// <summary>Encrypt and Decrypt by key type: a symmetric key seals under its material versions (SYMMETRIC_DEFAULT only), an RSA key uses RSAES-OAEP. Pure.</summary>
public static class KeyEncryption
{
    /// <summary>Encrypts: a symmetric key under its newest material (SYMMETRIC_DEFAULT only), an RSA key with RSAES-OAEP.</summary>
    public static byte[] Seal(KmsKey key, byte[] plaintext, EncryptionContext? context, string? algorithm)
    {
        if (!key.IsSymmetric)
        {
            return KeyCryptography.RsaEncrypt(key, plaintext, algorithm, context);
        }

        RequireSymmetricAlgorithm(key, algorithm);
        return KmsCiphertext.Encrypt(KeyRotations.CurrentMaterial(key), key.Arn, key.CurrentMaterialVersion, plaintext, context ?? EncryptionContext.Empty);
    }

    /// <summary>Decrypts a blob of this key: a symmetric one under the material version its header names (any version the key has had), an RSA one with RSAES-OAEP.</summary>
    public static byte[] Open(KmsKey key, byte[] blob, EncryptionContext? context, string? algorithm, out int version)
    {
        version = 0;
        if (!key.IsSymmetric)
        {
            return KeyCryptography.RsaDecrypt(key, blob, algorithm, context);
        }

        RequireSymmetricAlgorithm(key, algorithm);
        if (!KmsCiphertext.TryReadHeader(blob, out var blobKey, out version) || !MultiRegionRules.MayDecrypt(key, blobKey))
        {
            throw KmsCiphertext.Invalid();
        }

        return KmsCiphertext.Decrypt(KeyRotations.Material(key, version), blob, context ?? EncryptionContext.Empty);
    }

    private static void RequireSymmetricAlgorithm(KmsKey key, string? algorithm)
    {
        if (algorithm is not (null or KeySpecs.SymmetricDefault))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidKeyUsage,
                $"The encryption algorithm {algorithm} is not compatible with {key.Arn}: a symmetric encryption KMS key uses SYMMETRIC_DEFAULT.");
        }
    }
}
