using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>
/// The key state machine of SPEC §2: which operations each state allows, with KMS's exception
/// names and messages, and the transitions. Pure: every method returns a new key or throws.
/// </summary>
public static class KeyLifecycle
{
    public const int MinDeletionWindowDays = 7;
    public const int MaxDeletionWindowDays = 30;
    public const int DefaultDeletionWindowDays = 30;

    private static readonly HashSet<string> AllowedInAnyState = new(StringComparer.Ordinal)
    {
        KmsOperations.DescribeKey, KmsOperations.ListGrants, KmsOperations.RetireGrant, KmsOperations.RevokeGrant,
        KmsOperations.GetKeyPolicy, KmsOperations.PutKeyPolicy, KmsOperations.ListAliases, KmsOperations.CreateAlias,
        KmsOperations.ListRetirableGrants, KmsOperations.ListResourceTags, KmsOperations.GetKeyRotationStatus, KmsOperations.ListKeyRotations,
        KmsOperations.DeleteAlias, KmsOperations.GetKeyLastUsage,
    };

    /// <summary>Operations that change a key's metadata: allowed while it is enabled or disabled, refused while deletion is pending.</summary>
    private static readonly HashSet<string> NotWhilePendingDeletion = new(StringComparer.Ordinal)
    {
        KmsOperations.EnableKey, KmsOperations.DisableKey, KmsOperations.ScheduleKeyDeletion, KmsOperations.UpdateKeyDescription,
        KmsOperations.TagResource, KmsOperations.UntagResource, KmsOperations.UpdateAlias, KmsOperations.GetParametersForImport,
        KmsOperations.ImportKeyMaterial, KmsOperations.DeleteImportedKeyMaterial, KmsOperations.ReplicateKey, KmsOperations.UpdatePrimaryRegion,
    };

    /// <summary>What a key without material refuses besides cryptography: enabling or disabling it (there is nothing to enable).</summary>
    private static readonly HashSet<string> NotWhilePendingImport = new(StringComparer.Ordinal)
    {
        KmsOperations.EnableKey, KmsOperations.DisableKey,
    };

    private static readonly HashSet<string> NeedEnabled = new(StringComparer.Ordinal)
    {
        KmsOperations.CreateGrant, KmsOperations.Encrypt, KmsOperations.Decrypt, KmsOperations.GenerateDataKey,
        KmsOperations.GenerateDataKeyWithoutPlaintext, KmsOperations.ReEncryptFrom, KmsOperations.ReEncryptTo,
        KmsOperations.EnableKeyRotation, KmsOperations.DisableKeyRotation, KmsOperations.RotateKeyOnDemand,
        KmsOperations.Sign, KmsOperations.Verify, KmsOperations.GetPublicKey, KmsOperations.GenerateMac, KmsOperations.VerifyMac,
        KmsOperations.GenerateDataKeyPair, KmsOperations.GenerateDataKeyPairWithoutPlaintext, KmsOperations.DeriveSharedSecret,
    };

    /// <summary>Operations that change an AWS managed key, which nobody may do.</summary>
    private static readonly HashSet<string> ManagedKeyImmutable = new(StringComparer.Ordinal)
    {
        KmsOperations.EnableKey, KmsOperations.DisableKey, KmsOperations.ScheduleKeyDeletion,
        KmsOperations.CancelKeyDeletion, KmsOperations.PutKeyPolicy, KmsOperations.UpdateKeyDescription, KmsOperations.TagResource,
        KmsOperations.UntagResource, KmsOperations.EnableKeyRotation, KmsOperations.DisableKeyRotation, KmsOperations.RotateKeyOnDemand,
    };

    /// <summary>
    /// A new enabled key with its own material (a private key for an asymmetric spec, a secret for HMAC); an AWS
    /// managed key rotates every year, as AWS's do.
    /// </summary>
    public static KmsKey Create(KeyCreationFacts facts, DateTimeOffset now)
    {
        var spec = ValidateSpec(facts.KeySpec);
        var usage = Crypto.KeyCryptography.ValidateUsage(spec, facts.KeyUsage);
        var external = ValidateOrigin(facts.Origin, spec) == KeyMetadata.ExternalOrigin;
        ValidateMultiRegion(facts.MultiRegion, external);
        var material = external ? [] : facts.ReplicaMaterial ?? Crypto.KeyCryptography.NewMaterial(spec);
        var key = new KmsKey(facts.KeyId, facts.Account, facts.Region, facts.Manager, facts.Description, facts.Policy,
            external ? KeyState.PendingImport : KeyState.Enabled, now, null, null, material, AesGcmKey())
        {
            MultiRegion = facts.MultiRegion,
            Tags = KeyTags.Validate(facts.Tags),
            Spec = spec.IsSymmetric ? null : spec.Name,
            Usage = usage == KeySpecs.EncryptDecrypt ? null : usage,
            OriginName = external ? KeyMetadata.ExternalOrigin : null,
        };
        return facts.Manager == KeyManager.Aws
            ? key with { RotationPeriodInDays = KeyRotations.AwsManagedPeriodInDays, NextRotationDate = now.AddDays(KeyRotations.AwsManagedPeriodInDays) }
            : key;
    }

    /// <summary>Throws the exception KMS gives when <paramref name="operation"/> is not allowed in the key's state.</summary>
    public static void Require(KmsKey key, string operation)
    {
        if (key.State == KeyState.Deleted)
        {
            throw NotFound(key.Arn);
        }

        if (key.Manager == KeyManager.Aws && ManagedKeyImmutable.Contains(operation))
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} is an AWS managed key: {operation} is not allowed on it.");
        }

        if (AllowedInAnyState.Contains(operation))
        {
            return;
        }

        if (NeedEnabled.Contains(operation))
        {
            switch (key.State)
            {
                case KeyState.Enabled:
                    return;
                case KeyState.Disabled:
                    throw new AwsServiceException(AwsErrorCodes.Disabled, $"{key.Arn} is disabled.");
                case KeyState.PendingImport:
                    throw PendingImport(key.Arn);
                default:
                    throw PendingDeletion(key.Arn);
            }
        }

        if (key.State == KeyState.PendingImport && NotWhilePendingImport.Contains(operation))
        {
            throw PendingImport(key.Arn);
        }

        if (NotWhilePendingDeletion.Contains(operation))
        {
            if (key.State == KeyState.PendingDeletion)
            {
                throw PendingDeletion(key.Arn);
            }

            return;
        }

        switch (operation)
        {
            case KmsOperations.CancelKeyDeletion:
                if (key.State != KeyState.PendingDeletion)
                {
                    throw new AwsServiceException(AwsErrorCodes.KmsInvalidState, $"{key.Arn} is not pending deletion.");
                }

                return;
            default:
                throw new ArgumentException($"'{operation}' is not a KMS key operation.", nameof(operation));
        }
    }

    /// <summary>Enables the key; one whose rotation date passed while it was off rotates now (<see cref="KeyRotations.OnEnabled"/>).</summary>
    /// <summary>A key spec GrantSim simulates; the model's others (SM2, ML-DSA, Ed25519) are refused plainly.</summary>
    public static KeySpecs.Spec ValidateSpec(string? keySpec) =>
        KeySpecs.Simulated.TryGetValue(keySpec ?? KeySpecs.SymmetricDefault, out var spec)
            ? spec
            : throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"GrantSim does not simulate KeySpec {keySpec} (docs/aws-endpoints.md lists the specs it does).");

    /// <summary>AWS_KMS, or EXTERNAL for symmetric keys (imported asymmetric or HMAC material, CloudHSM and external key stores are not simulated).</summary>
    public static string ValidateOrigin(string? origin, KeySpecs.Spec spec) => origin switch
    {
        null or KeyMetadata.AwsKmsOrigin => KeyMetadata.AwsKmsOrigin,
        KeyMetadata.ExternalOrigin when spec.IsSymmetric => KeyMetadata.ExternalOrigin,
        KeyMetadata.ExternalOrigin => throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation,
            $"GrantSim simulates imported key material for SYMMETRIC_DEFAULT keys only, not {spec.Name}."),
        _ => throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"GrantSim does not simulate Origin {origin} (custom key stores)."),
    };

    /// <summary>Multi-Region keys of KMS-made material (imported material in multi-Region keys is not simulated).</summary>
    public static void ValidateMultiRegion(bool multiRegion, bool external)
    {
        if (multiRegion && external)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, "GrantSim does not simulate multi-Region keys with imported key material.");
        }
    }

    /// <summary>Operations only a symmetric encryption key performs: InvalidKeyUsageException on any other key.</summary>
    public static void RequireSymmetric(KmsKey key, string operation)
    {
        if (!key.IsSymmetric)
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidKeyUsage,
                $"{key.Arn} is a {key.KeySpec.Name} key with KeyUsage {key.KeyUsage}: {operation} needs a symmetric encryption KMS key.");
        }
    }

    public static KmsKey Enable(KmsKey key, DateTimeOffset now)
    {
        Require(key, KmsOperations.EnableKey);
        return key.State == KeyState.Enabled ? key : KeyRotations.OnEnabled(key with { State = KeyState.Enabled }, now);
    }

    public static KmsKey UpdateDescription(KmsKey key, string description)
    {
        ValidateDescription(description);
        Require(key, KmsOperations.UpdateKeyDescription);
        return key with { Description = description };
    }

    public static KmsKey Disable(KmsKey key)
    {
        Require(key, KmsOperations.DisableKey);
        return key with { State = KeyState.Disabled };
    }

    /// <summary>The deletion window in days: 7 to 30, 30 when not given.</summary>
    /// <summary>
    /// The model's limit on a key description (DescriptionType, 8192). The endpoint checks it against the
    /// model itself; this is for callers that reach the key registry without it (the simulation's clients).
    /// </summary>
    public const int MaxDescriptionLength = 8192;

    public static void ValidateDescription(string description)
    {
        if (description.Length > MaxDescriptionLength)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to {MaxDescriptionLength}");
        }
    }

    public static int ValidateDeletionWindow(int? pendingWindowInDays)
    {
        var days = pendingWindowInDays ?? DefaultDeletionWindowDays;
        return days is >= MinDeletionWindowDays and <= MaxDeletionWindowDays
            ? days
            : throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between {MinDeletionWindowDays} and {MaxDeletionWindowDays}.");
    }

    public static KmsKey ScheduleDeletion(KmsKey key, int? pendingWindowInDays, DateTimeOffset now)
    {
        var days = ValidateDeletionWindow(pendingWindowInDays);
        Require(key, KmsOperations.ScheduleKeyDeletion);
        return key with { State = KeyState.PendingDeletion, DeletionDate = now.AddDays(days), PendingWindowInDays = days };
    }

    /// <summary>Cancelling leaves the key Disabled, as KMS does: it must be enabled again on purpose (PendingImport when it has no material).</summary>
    public static KmsKey CancelDeletion(KmsKey key)
    {
        Require(key, KmsOperations.CancelKeyDeletion);
        return key with { State = key.Material.Length == 0 ? KeyState.PendingImport : KeyState.Disabled, DeletionDate = null, PendingWindowInDays = null };
    }

    /// <summary>
    /// The key as of <paramref name="now"/>: its automatic rotations due by then applied; once the
    /// deletion window has ended the key is deleted and its material destroyed, so everything
    /// encrypted under it is gone for good.
    /// </summary>
    public static KmsKey AsOf(KmsKey key, DateTimeOffset now) =>
        key.State == KeyState.PendingDeletion && key.DeletionDate is { } deletion && now >= deletion
            ? key with { State = KeyState.Deleted, Material = [], TokenSecret = [] }
            : KeyRotations.AsOf(ImportedMaterial.AsOf(key, now), now);

    public static KmsKey PutPolicy(KmsKey key, string policy)
    {
        Require(key, KmsOperations.PutKeyPolicy);
        Iam.PolicyParser.Parse(policy);
        return key with { Policy = policy };
    }

    public static AwsServiceException NotFound(string keyReference) =>
        new(AwsErrorCodes.NotFound, $"Key '{keyReference}' does not exist");

    private static AwsServiceException PendingImport(string arn) =>
        new(AwsErrorCodes.KmsInvalidState, $"{arn} is pending import: its key material has not been imported, or was deleted or expired.");

    private static AwsServiceException PendingDeletion(string arn) =>
        new(AwsErrorCodes.KmsInvalidState, $"{arn} is pending deletion.");

    private static byte[] AesGcmKey() => Crypto.AesGcmSealer.NewKey();
}
