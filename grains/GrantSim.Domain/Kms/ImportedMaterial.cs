using System.Security.Cryptography;
using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>
/// Keys whose material is imported (Origin EXTERNAL), as the KMS developer guide describes them: created
/// PendingImport with no material; GetParametersForImport hands out an RSA wrapping public key and an import
/// token, valid 24 hours; ImportKeyMaterial unwraps the 256-bit material (RSAES-OAEP SHA-1 or SHA-256) and
/// enables the key — and once a key has had material, only that same material may be imported again;
/// DeleteImportedKeyMaterial (or the material's expiry on the simulated clock) wipes it and puts the key
/// back to PendingImport, so nothing it encrypted can be decrypted until the same material returns: a second
/// way to crypto-shred an ECR repository, reversible by whoever kept the material. Pure.
/// </summary>
public static class ImportedMaterial
{
    public static readonly TimeSpan ParametersLifetime = TimeSpan.FromHours(24);

    public const int SymmetricMaterialLength = 32;

    private const int TokenIdLength = 16;

    public static bool IsExternal(KmsKey key) => key.Origin == KeyMetadata.ExternalOrigin;

    /// <summary>New wrapping parameters: the wrapping key pair is kept with the key (its private half never leaves it) and replaces any earlier one.</summary>
    public static (KmsKey Key, ImportParameters Parameters) GetParameters(KmsKey key, string wrappingAlgorithm, string wrappingKeySpec, DateTimeOffset now)
    {
        RequireExternal(key, KmsOperations.GetParametersForImport);
        if (wrappingAlgorithm is not (KeySpecs.RsaOaepSha1 or KeySpecs.RsaOaepSha256))
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation,
                $"GrantSim wraps imported material with RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256, not {wrappingAlgorithm} (docs/aws-endpoints.md).");
        }

        if (wrappingKeySpec is not ("RSA_2048" or "RSA_3072" or "RSA_4096"))
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"GrantSim does not simulate WrappingKeySpec {wrappingKeySpec}.");
        }

        KeyLifecycle.Require(key, KmsOperations.GetParametersForImport);
        using var rsa = RSA.Create(int.Parse(wrappingKeySpec[4..], System.Globalization.CultureInfo.InvariantCulture));
        var tokenId = RandomNumberGenerator.GetBytes(TokenIdLength);
        var validTo = now + ParametersLifetime;
        var changed = key with
        {
            ImportWrappingKey = rsa.ExportPkcs8PrivateKey(), ImportWrappingAlgorithm = wrappingAlgorithm, ImportParametersValidTo = validTo,
            ImportTokenId = Convert.ToHexStringLower(tokenId),
        };
        return (changed, new ImportParameters(key.Arn, [.. tokenId, .. TokenTag(key, tokenId)], rsa.ExportSubjectPublicKeyInfo(), validTo));
    }

    /// <summary>Unwraps and installs the material; the key is enabled. Re-importing into a key that had material needs that same material.</summary>
    public static KmsKey Import(KmsKey key, ImportKeyMaterialRequest request, DateTimeOffset now)
    {
        RequireExternal(key, KmsOperations.ImportKeyMaterial);
        var expires = ValidateExpiration(request, now);
        KeyLifecycle.Require(key, KmsOperations.ImportKeyMaterial);
        RequireToken(key, request.ImportToken, now);
        byte[] material;
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(key.ImportWrappingKey, out _);
            material = rsa.Decrypt(request.EncryptedKeyMaterial,
                key.ImportWrappingAlgorithm == KeySpecs.RsaOaepSha1 ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException)
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidCiphertext,
                "The EncryptedKeyMaterial could not be unwrapped with the wrapping key and algorithm of the import token's parameters.");
        }

        if (material.Length != SymmetricMaterialLength)
        {
            throw new AwsServiceException(AwsErrorCodes.IncorrectKeyMaterial, $"Symmetric key material must be {SymmetricMaterialLength} bytes, not {material.Length}.");
        }

        var fingerprint = Fingerprint(key, material);
        if (key.MaterialFingerprint is { Length: > 0 } known && !CryptographicOperations.FixedTimeEquals(known, fingerprint))
        {
            throw new AwsServiceException(AwsErrorCodes.IncorrectKeyMaterial,
                $"The key material is not the material {key.Arn} was first imported with: a KMS key's imported material cannot change.");
        }

        return key with
        {
            Material = material, MaterialFingerprint = fingerprint, MaterialValidTo = expires,
            State = key.State == KeyState.PendingImport ? KeyState.Enabled : key.State,
            ImportWrappingKey = null, ImportWrappingAlgorithm = null, ImportParametersValidTo = null, ImportTokenId = null,
        };
    }

    /// <summary>Wipes the material: the key is PendingImport (or stays PendingDeletion) until the same material is imported again.</summary>
    public static KmsKey Delete(KmsKey key)
    {
        RequireExternal(key, KmsOperations.DeleteImportedKeyMaterial);
        KeyLifecycle.Require(key, KmsOperations.DeleteImportedKeyMaterial);
        return Wiped(key);
    }

    /// <summary>The key as of <paramref name="now"/>: imported material past its ValidTo is gone.</summary>
    public static KmsKey AsOf(KmsKey key, DateTimeOffset now) =>
        IsExternal(key) && key.MaterialValidTo is { } validTo && now >= validTo && key.State is not (KeyState.Deleted or KeyState.PendingImport) ? Wiped(key) : key;

    /// <summary>The id of the key's material (what ImportKeyMaterial answers): public, derived from the fingerprint.</summary>
    public static string MaterialId(KmsKey key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.MaterialFingerprint ?? []));

    private static KmsKey Wiped(KmsKey key) => key with
    {
        Material = [], MaterialValidTo = null, State = key.State == KeyState.PendingDeletion ? KeyState.PendingDeletion : KeyState.PendingImport,
    };

    private static DateTimeOffset? ValidateExpiration(ImportKeyMaterialRequest request, DateTimeOffset now)
    {
        switch (request.ExpirationModel ?? "KEY_MATERIAL_EXPIRES")
        {
            case "KEY_MATERIAL_DOES_NOT_EXPIRE":
                return request.ValidTo is null
                    ? null
                    : throw new AwsServiceException(AwsErrorCodes.Validation, "ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.");
            default:
                return request.ValidTo is { } validTo
                    ? validTo > now && validTo <= now.AddDays(365)
                        ? validTo
                        : throw new AwsServiceException(AwsErrorCodes.Validation, "ValidTo must be in the future and at most 365 days away.")
                    : throw new AwsServiceException(AwsErrorCodes.Validation, "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES (the default).");
        }
    }

    private static void RequireToken(KmsKey key, byte[] token, DateTimeOffset now)
    {
        if (token.Length != TokenIdLength + 32 || key.ImportTokenId is null || key.ImportWrappingKey is null
            || Convert.ToHexStringLower(token.AsSpan(0, TokenIdLength)) != key.ImportTokenId
            || !CryptographicOperations.FixedTimeEquals(TokenTag(key, token[..TokenIdLength]), token.AsSpan(TokenIdLength)))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidImportToken, "The import token is not valid for this key: call GetParametersForImport for a new one.");
        }

        if (now > key.ImportParametersValidTo)
        {
            throw new AwsServiceException(AwsErrorCodes.ExpiredImportToken, "The import token has expired: import parameters are valid for 24 hours.");
        }
    }

    private static void RequireExternal(KmsKey key, string operation)
    {
        if (!IsExternal(key))
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} has Origin {key.Origin}: {operation} is for keys of Origin EXTERNAL only.");
        }
    }

    private static byte[] TokenTag(KmsKey key, byte[] tokenId) =>
        HMACSHA256.HashData(key.TokenSecret, (byte[])[.. System.Text.Encoding.UTF8.GetBytes("import-token " + key.Arn + " "), .. tokenId]);

    private static byte[] Fingerprint(KmsKey key, byte[] material) =>
        HMACSHA256.HashData(key.TokenSecret, (byte[])[.. System.Text.Encoding.UTF8.GetBytes("imported-material "), .. material]);
}
