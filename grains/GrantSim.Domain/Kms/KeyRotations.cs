using System.Security.Cryptography;
using System.Text;
using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>
/// Key rotation, as the KMS developer guide describes it: automatic rotation every
/// RotationPeriodInDays (90–2560, 365 by default; every 365 days for AWS managed keys), up to 25
/// on-demand rotations per key, new encryptions under the newest material and every older material
/// kept so that every ciphertext still decrypts. A disabled key or one pending deletion does not
/// rotate; when it is enabled again and its rotation date has passed, it rotates at once and every
/// period after. Pure.
/// <para>
/// Rotations due on the simulated clock are not stored when they happen: <see cref="AsOf"/> derives
/// them from the stored schedule, and the material of each version is derived from the key's
/// secret material (HKDF), so every activation, and every call that interleaves with another, sees
/// the same versions with the same material without writing (docs/decisions.md).
/// </para>
/// </summary>
public static class KeyRotations
{
    public const int MinPeriodInDays = 90;
    public const int MaxPeriodInDays = 2560;
    public const int DefaultPeriodInDays = 365;
    public const int AwsManagedPeriodInDays = 365;
    public const int MaxOnDemandRotations = 25;

    /// <summary>Turns automatic rotation on (or changes its period): the first rotation is one period after the last material change.</summary>
    public static KmsKey Enable(KmsKey key, int? periodInDays, DateTimeOffset now)
    {
        var period = ValidatePeriod(periodInDays);
        RequireRotatable(key);
        KeyLifecycle.Require(key, KmsOperations.EnableKeyRotation);
        var next = LastMaterialDate(key).AddDays(period);
        return key with { RotationPeriodInDays = period, NextRotationDate = next > now ? next : now };
    }

    public static KmsKey Disable(KmsKey key)
    {
        RequireRotatable(key);
        KeyLifecycle.Require(key, KmsOperations.DisableKeyRotation);
        return key with { RotationPeriodInDays = null, NextRotationDate = null };
    }

    /// <summary>Rotates now, leaving the automatic schedule as it was; at most <see cref="MaxOnDemandRotations"/> times per key.</summary>
    public static KmsKey RotateOnDemand(KmsKey key, DateTimeOffset now)
    {
        RequireRotatable(key);
        KeyLifecycle.Require(key, KmsOperations.RotateKeyOnDemand);
        if (key.RotationList.Count(r => r.Type == RotationType.OnDemand) >= MaxOnDemandRotations)
        {
            throw new AwsServiceException(AwsErrorCodes.LimitExceeded,
                $"{key.Arn} has been rotated on demand {MaxOnDemandRotations} times, the most KMS allows for a key.");
        }

        return key with { Rotations = key.RotationList.Add(new KeyRotation(now, RotationType.OnDemand)) };
    }

    /// <summary>The key with every automatic rotation due by <paramref name="now"/> applied (only while it is enabled).</summary>
    public static KmsKey AsOf(KmsKey key, DateTimeOffset now)
    {
        if (key.State != KeyState.Enabled || key.RotationPeriodInDays is not { } period || key.NextRotationDate is not { } next || next > now)
        {
            return key;
        }

        var rotations = key.RotationList.ToBuilder();
        while (next <= now)
        {
            rotations.Add(new KeyRotation(next, RotationType.Automatic));
            next = next.AddDays(period);
        }

        return key with { Rotations = rotations.ToImmutable(), NextRotationDate = next };
    }

    /// <summary>A key enabled again after its rotation date passed rotates at once, then every period after.</summary>
    public static KmsKey OnEnabled(KmsKey key, DateTimeOffset now) =>
        key.RotationPeriodInDays is { } period && key.NextRotationDate is { } next && next <= now
            ? key with { Rotations = key.RotationList.Add(new KeyRotation(now, RotationType.Automatic)), NextRotationDate = now.AddDays(period) }
            : key;

    /// <summary>GetKeyRotationStatus: a key pending deletion reports rotation off (its schedule is kept for a cancelled deletion).</summary>
    public static KeyRotationStatus Status(KmsKey key)
    {
        RequireSymmetric(key);
        var enabled = key.RotationPeriodInDays is not null && key.State != KeyState.PendingDeletion;
        return new KeyRotationStatus(key.Arn, enabled, enabled ? key.RotationPeriodInDays : null, enabled ? key.NextRotationDate : null);
    }

    /// <summary>ListKeyRotations: the completed rotations, oldest first, with the id of the material each made current (and first the material the key was created with, when asked).</summary>
    public static IReadOnlyList<KeyRotationEntry> List(KmsKey key, bool includeInitialMaterial = false)
    {
        RequireSymmetric(key);
        var initial = includeInitialMaterial
            ? [new KeyRotationEntry(key.Arn, MaterialId(key, 0), key.CreationDate, null, key.CurrentMaterialVersion == 0)]
            : Array.Empty<KeyRotationEntry>();
        return initial.Concat(key.RotationList.Select((rotation, index) => new KeyRotationEntry(
            key.Arn, MaterialId(key, index + 1), rotation.Date, rotation.Type, index + 1 == key.CurrentMaterialVersion))).ToArray();
    }

    /// <summary>The material of <paramref name="version"/>; a version the key never had is an invalid ciphertext.</summary>
    public static byte[] Material(KmsKey key, int version)
    {
        if (version < 0 || version > key.CurrentMaterialVersion || key.Material.Length == 0)
        {
            throw Crypto.KmsCiphertext.Invalid();
        }

        return version == 0 ? key.Material : Derive(key.Material, "material", version);
    }

    /// <summary>The material new encryptions use.</summary>
    public static byte[] CurrentMaterial(KmsKey key) => Material(key, key.CurrentMaterialVersion);

    /// <summary>A material version's public id (the model's BackingKeyIdType: 64 hex digits), which reveals nothing of the material.</summary>
    public static string MaterialId(KmsKey key, int version) =>
        key.Material.Length == 0 ? "" : Convert.ToHexStringLower(Derive(key.Material, "material-id", version));

    public static int ValidatePeriod(int? periodInDays)
    {
        var days = periodInDays ?? DefaultPeriodInDays;
        return days is >= MinPeriodInDays and <= MaxPeriodInDays
            ? days
            : throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value '{days}' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between {MinPeriodInDays} and {MaxPeriodInDays}");
    }

    /// <summary>Only symmetric encryption keys rotate: asymmetric and HMAC keys answer UnsupportedOperationException, as KMS's do.</summary>
    public static void RequireSymmetric(KmsKey key)
    {
        if (!key.IsSymmetric)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} is a {key.KeySpec.Name} key: only symmetric encryption KMS keys rotate.");
        }
    }

    /// <summary>Rotation is changed only on symmetric keys whose material KMS made: imported material is not rotated here.</summary>
    public static void RequireRotatable(KmsKey key)
    {
        RequireSymmetric(key);
        if (key.MultiRegion)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation,
                $"{key.Arn} is a multi-Region key: GrantSim does not rotate multi-Region keys, whose material their replicas share (docs/aws-endpoints.md).");
        }

        if (ImportedMaterial.IsExternal(key))
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} has imported key material: GrantSim does not rotate imported material (docs/aws-endpoints.md).");
        }
    }

    private static DateTimeOffset LastMaterialDate(KmsKey key) => key.RotationList.Count > 0 ? key.RotationList[^1].Date : key.CreationDate;

    private static byte[] Derive(byte[] root, string purpose, int version) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, salt: [], info: Encoding.UTF8.GetBytes($"GrantSim KMS {purpose} v{version}"));
}
