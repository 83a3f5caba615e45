using System.Collections.Immutable;
using System.Text.RegularExpressions;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Kms;

namespace GrantSim.Ecr;

/// <summary>
/// The repository state machine of SPEC §5. Create and delete are sequences of recorded steps, so
/// that a grain can persist after each one and resume after a crash. Every method is pure: it
/// returns the next state or throws the ECR exception the API names.
/// </summary>
public static partial class RepositoryLifecycle
{
    public const int MaxTagLength = 300;

    [GeneratedRegex(@"\A[a-zA-Z0-9_][a-zA-Z0-9._-]{0,299}\z")]
    private static partial Regex TagPattern();

    public static string Arn(string account, string region, string name) => Aws.Arn.EcrRepository(region, account, name).ToString();

    public static string Uri(string account, string region, string name) => $"{account}.dkr.ecr.{region}.{Regions.DnsSuffixOf(region)}/{name}";

    // ---- create ----

    /// <summary>Checks a create request and returns its configuration with defaults applied (none given means AES256).</summary>
    public static EncryptionConfiguration ValidateCreate(RepositoryState state, string account, string region, string name, EncryptionConfiguration? requested)
    {
        if (state.Status != RepositoryStatus.Absent)
        {
            throw new AwsServiceException(AwsErrorCodes.RepositoryAlreadyExists,
                $"The repository with name '{name}' already exists in the registry with id '{account}'");
        }

        var configuration = requested ?? EncryptionConfiguration.Aes256;
        if (!Enum.IsDefined(configuration.EncryptionType))
        {
            throw InvalidParameter("encryptionConfiguration.encryptionType", "must be one of AES256, KMS, KMS_DSSE");
        }

        if (configuration.EncryptionType == EncryptionType.Aes256 && configuration.KmsKey is not null)
        {
            throw InvalidParameter("encryptionConfiguration.kmsKey", "a KMS key may only be given with encryption type KMS or KMS_DSSE");
        }

        if (configuration.EncryptionType == EncryptionType.KmsDsse && !Regions.SupportsDualLayerEncryption(region))
        {
            throw InvalidParameter("encryptionConfiguration.encryptionType", $"KMS_DSSE is only available in the AWS GovCloud (US) Regions, not in {region}");
        }

        if (configuration.KmsKey is { Length: 0 or > 2048 })
        {
            throw InvalidParameter("encryptionConfiguration.kmsKey", "must have length between 1 and 2048");
        }

        return configuration;
    }

    /// <summary>The key must be in the repository's region (and so in its partition).</summary>
    public static void RequireKeyInRegion(string keyArn, string region)
    {
        var arn = Aws.Arn.Parse(keyArn);
        if (arn.Region != region)
        {
            throw InvalidParameter("encryptionConfiguration.kmsKey", $"the KMS key {keyArn} is in {arn.Region}; it must be in the repository's region {region}");
        }
    }

    public static RepositoryState CreateAes256(Guid incarnation, DateTimeOffset now, string creator) =>
        RepositoryState.Absent with
        {
            Status = RepositoryStatus.Active,
            Incarnation = incarnation,
            CreatedAt = now,
            Configuration = EncryptionConfiguration.Aes256,
            Creator = creator,
        };

    /// <summary>Records the intent to create a KMS repository before any grant exists, with the grant names it will use.</summary>
    public static RepositoryState BeginKmsCreate(EncryptionType type, string keyArn, Guid incarnation, DateTimeOffset now, string creator)
    {
        if (!type.UsesKms())
        {
            throw new ArgumentException("Only KMS and KMS_DSSE repositories create grants.", nameof(type));
        }

        var slots = Enum.GetValues<RepositoryGrantRole>()
            .Select(role => new RepositoryGrantSlot(role, RepositoryGrants.Name(incarnation, role), null, null, false, null))
            .ToImmutableArray();
        return RepositoryState.Absent with
        {
            Status = RepositoryStatus.Creating,
            Incarnation = incarnation,
            CreatedAt = now,
            Configuration = new EncryptionConfiguration(type, keyArn),
            Creator = creator,
            Grants = slots,
        };
    }

    public static RepositoryState RecordGrantCreated(RepositoryState state, RepositoryGrantRole role, string grantId, string token)
    {
        RequireStatus(state, RepositoryStatus.Creating);
        return WithSlot(state, role, slot => slot with { GrantId = grantId, Token = token });
    }

    public static RepositoryState CompleteCreate(RepositoryState state)
    {
        RequireStatus(state, RepositoryStatus.Creating);
        if (state.Grants.Any(g => g.GrantId is null))
        {
            throw new InvalidOperationException("A KMS repository becomes active only once both of its grants exist.");
        }

        return state with { Status = RepositoryStatus.Active };
    }

    /// <summary>A create failed part way: the grants it made must be retired before the name is free again.</summary>
    public static RepositoryState BeginRollback(RepositoryState state)
    {
        RequireStatus(state, RepositoryStatus.Creating);
        return state with { Status = RepositoryStatus.RollingBack };
    }

    /// <summary>Whether some grant of a rolling-back create was never recorded (its CreateGrant's answer may have been lost).</summary>
    public static bool HasUnrecordedGrants(RepositoryState state) =>
        state.Status == RepositoryStatus.RollingBack && state.Grants.Any(g => g.GrantId is null);

    /// <summary>
    /// Grants the rollback must retire although the create never recorded them: a CreateGrant whose answer
    /// was lost (its silo died) made its grant under the slot's name. Each unrecorded slot whose name is
    /// among the grants ECR may retire on the key takes that grant's id; the others stay unrecorded.
    /// </summary>
    public static RepositoryState AdoptUnrecordedGrants(RepositoryState state, IEnumerable<GrantListEntry> retirable)
    {
        RequireStatus(state, RepositoryStatus.RollingBack);
        var byName = retirable.Where(g => g.Name is not null).DistinctBy(g => g.Name).ToDictionary(g => g.Name!, g => g.GrantId, StringComparer.Ordinal);
        foreach (var slot in state.Grants.Where(g => g.GrantId is null).ToArray())
        {
            if (byName.TryGetValue(slot.Name, out var grantId))
            {
                state = WithSlot(state, slot.Role, s => s with { GrantId = grantId });
            }
        }

        return state;
    }

    public static RepositoryState CompleteRollback(RepositoryState state)
    {
        RequireStatus(state, RepositoryStatus.RollingBack);
        if (GrantsToRetire(state).Any())
        {
            throw new InvalidOperationException("A rollback completes only once every grant it created is retired.");
        }

        return RepositoryState.Absent;
    }

    // ---- delete ----

    public static RepositoryState BeginDelete(RepositoryState state, string account, string name, string deleter, bool force, DateTimeOffset now)
    {
        RequireActive(state, account, name);
        if (!state.Images.IsEmpty && !force)
        {
            throw new AwsServiceException(AwsErrorCodes.RepositoryNotEmpty,
                $"The repository with name '{name}' in registry with id '{account}' cannot be deleted because it still contains images");
        }

        return state with
        {
            Status = RepositoryStatus.Deleting,
            Deletion = new DeletionProgress(deleter, now, ObjectsDeleted: false, GrantsSettled: false, Leftover: null),
        };
    }

    public static RepositoryState RecordObjectsDeleted(RepositoryState state)
    {
        RequireStatus(state, RepositoryStatus.Deleting);
        return state with
        {
            Blobs = state.Blobs.Clear(),
            Images = state.Images.Clear(),
            Tags = state.Tags.Clear(),
            Deletion = state.DeletionProgress with { ObjectsDeleted = true },
        };
    }

    /// <summary>Grants created and not yet retired (nor given up on), in role order.</summary>
    public static IEnumerable<RepositoryGrantSlot> GrantsToRetire(RepositoryState state) =>
        state.Grants.Where(g => g.GrantId is not null && !g.Retired && g.RetireError is null);

    public static RepositoryState RecordGrantRetired(RepositoryState state, RepositoryGrantRole role)
    {
        RequireStatus(state, RepositoryStatus.Deleting, RepositoryStatus.RollingBack);
        return WithSlot(state, role, slot => slot with { Retired = true, RetireError = null });
    }

    /// <summary>Retiring failed for good (not a transient error): the grant stays on the key and is reported.</summary>
    public static RepositoryState RecordRetireFailed(RepositoryState state, RepositoryGrantRole role, string errorCode)
    {
        RequireStatus(state, RepositoryStatus.Deleting);
        return WithSlot(state, role, slot => slot with { RetireError = errorCode });
    }

    /// <summary>
    /// Every grant is retired or given up on: the delete's outcome is fixed. Grants that could not
    /// be retired become a report with the documented message, so none is ever silently leaked.
    /// </summary>
    public static RepositoryState SettleGrants(RepositoryState state, string account, string region, string name, DateTimeOffset now)
    {
        RequireStatus(state, RepositoryStatus.Deleting);
        if (GrantsToRetire(state).Any())
        {
            throw new InvalidOperationException("Grants are settled only once each is retired or has failed to retire.");
        }

        var failed = state.Grants.Where(g => g.RetireError is not null).ToArray();
        var keyArn = state.Configuration?.KmsKey;
        LeftoverGrantReport? leftover = failed.Length == 0 || keyArn is null
            ? null
            : new LeftoverGrantReport(name, Arn(account, region, name), keyArn, failed.Select(g => g.CreatedGrantId).ToArray(),
                EcrMessages.GrantsNotRetired(name, keyArn), failed[0].RetireError!, now);
        return state with { Deletion = state.DeletionProgress with { GrantsSettled = true, Leftover = leftover } };
    }

    public static RepositoryState CompleteDelete(RepositoryState state)
    {
        RequireStatus(state, RepositoryStatus.Deleting);
        if (state.Deletion is not { ObjectsDeleted: true, GrantsSettled: true })
        {
            throw new InvalidOperationException("A delete completes only after its objects are gone and its grants settled.");
        }

        return RepositoryState.Absent;
    }

    // ---- images ----

    public static void RequireActive(RepositoryState state, string account, string name)
    {
        if (state.Status != RepositoryStatus.Active)
        {
            throw new AwsServiceException(AwsErrorCodes.RepositoryNotFound,
                $"The repository with name '{name}' does not exist in the registry with id '{account}'");
        }
    }

    public static RepositoryState AddBlob(RepositoryState state, BlobEntry blob)
    {
        RequireStatus(state, RepositoryStatus.Active);
        return state with { Blobs = state.Blobs.SetItem(blob.Digest, blob) };
    }

    /// <summary>Checks what a manifest references is present: its layers and config, or (for an index) its images.</summary>
    public static void RequireReferencesPresent(RepositoryState state, ParsedManifest manifest)
    {
        var missing = manifest.LayerDigests.Append(manifest.ConfigDigest).OfType<string>().Where(d => !state.Blobs.ContainsKey(d)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            throw new AwsServiceException(AwsErrorCodes.LayersNotFound,
                $"The following layers were not found in the repository: {string.Join(", ", missing)}");
        }

        var missingImages = manifest.ManifestDigests.Where(d => !state.Images.ContainsKey(d)).Distinct().ToArray();
        if (missingImages.Length > 0)
        {
            throw new AwsServiceException(AwsErrorCodes.ReferencedImagesNotFound,
                $"The following images referenced by the index were not found: {string.Join(", ", missingImages)}");
        }
    }

    public static void ValidateTag(string? tag)
    {
        if (tag is not null && !TagPattern().IsMatch(tag))
        {
            throw InvalidParameter("imageTag", $"must be 1 to {MaxTagLength} characters of [a-zA-Z0-9_.-], not starting with '.' or '-'");
        }
    }

    /// <summary>Whether pushing this manifest and tag would change nothing (ECR's ImageAlreadyExistsException).</summary>
    public static void RequireNotAlreadyPushed(RepositoryState state, string manifestDigest, string? tag)
    {
        if (state.Images.ContainsKey(manifestDigest) && (tag is null || state.Tags.GetValueOrDefault(tag) == manifestDigest))
        {
            throw new AwsServiceException(AwsErrorCodes.ImageAlreadyExists,
                $"Image with digest '{manifestDigest}'{(tag is null ? "" : $" and tag '{tag}'")} already exists in the repository");
        }
    }

    /// <summary>Adds an image (or a tag to an existing one); a tag moves from any image that had it.</summary>
    public static RepositoryState PutImage(RepositoryState state, ImageEntry image, string? tag)
    {
        RequireStatus(state, RepositoryStatus.Active);
        var images = state.Images.ContainsKey(image.ManifestDigest) ? state.Images : state.Images.SetItem(image.ManifestDigest, image);
        var tags = tag is null ? state.Tags : state.Tags.SetItem(tag, image.ManifestDigest);
        return ImageRules.WithTagPut(state with { Images = images, Tags = tags }, tag);
    }

    public static ImageEntry FindImage(RepositoryState state, string account, string name, ImageIdentifier id)
    {
        var digest = id.ImageDigest ?? (id.ImageTag is { } tag ? state.Tags.GetValueOrDefault(tag) : null);
        if (digest is not null && state.Images.TryGetValue(digest, out var image)
            && (id.ImageTag is null || state.Tags.GetValueOrDefault(id.ImageTag) == digest))
        {
            return image;
        }

        throw new AwsServiceException(AwsErrorCodes.ImageNotFound,
            $"The image with imageId {{imageDigest:'{id.ImageDigest ?? "null"}', imageTag:'{id.ImageTag ?? "null"}'}} does not exist within the repository with name '{name}' in the registry with id '{account}'");
    }

    /// <summary>By digest the image goes with all its tags; by tag only the tag goes, and the image with it when it was the last.</summary>
    public static RepositoryState DeleteImage(RepositoryState state, string account, string name, ImageIdentifier id)
    {
        var image = FindImage(state, account, name, id);
        RepositoryState next;
        if (id.ImageDigest is null && id.ImageTag is { } tag)
        {
            var tags = state.Tags.Remove(tag);
            var stillTagged = tags.Values.Contains(image.ManifestDigest);
            next = state with { Tags = tags, Images = stillTagged ? state.Images : state.Images.Remove(image.ManifestDigest) };
        }
        else
        {
            next = state with
            {
                Images = state.Images.Remove(image.ManifestDigest),
                Tags = state.Tags.RemoveRange(state.Tags.Where(t => t.Value == image.ManifestDigest).Select(t => t.Key)),
            };
        }

        ImageRules.RequireNotReferenced(state, next, image.ManifestDigest);
        return ImageRules.WithoutStaleTags(next);
    }

    /// <summary>What DescribeImages reports of an image at <paramref name="now"/> (its status is read from the clock: <see cref="ImageStorage"/>).</summary>
    public static ImageDetail Detail(RepositoryState state, ImageEntry image, DateTimeOffset now)
    {
        return new ImageDetail(image.ManifestDigest, ImageRules.TagsOf(state, image.ManifestDigest), ImageRules.SizeInBytes(state, image),
            image.PushedAt, image.MediaType, image.LayerDigests, image.ConfigDigest ?? "")
        {
            ArtifactMediaType = image.ArtifactMediaType,
            LastRecordedPullTime = image.LastRecordedPullTime,
            ManifestDigests = image.ManifestDigests,
            SubjectManifestDigest = image.SubjectDigest,
            ImageStatus = ImageStorage.StatusAt(image, now),
            LastArchivedAt = image.LastArchivedAt,
            LastActivatedAt = ImageStorage.LastActivatedAt(image, now),
        };
    }

    public static RepositoryDescription Describe(RepositoryState state, string account, string region, string name)
    {
        RequireActive(state, account, name);
        return new RepositoryDescription(Arn(account, region, name), account, name, Uri(account, region, name), state.CreatedAt, state.EncryptionConfiguration)
        {
            Settings = RepositorySettingsRules.Of(state),
        };
    }

    public static string ManifestDigest(ReadOnlySpan<byte> manifest) => ContentDigest.Sha256(manifest);

    private static RepositoryState WithSlot(RepositoryState state, RepositoryGrantRole role, Func<RepositoryGrantSlot, RepositoryGrantSlot> change)
    {
        var index = state.Grants.IndexOf(state.Grant(role) ?? throw new InvalidOperationException($"The repository has no {role} grant."));
        return state with { Grants = state.Grants.SetItem(index, change(state.Grants[index])) };
    }

    private static void RequireStatus(RepositoryState state, params RepositoryStatus[] allowed)
    {
        if (!allowed.Contains(state.Status))
        {
            throw new InvalidOperationException($"The repository is {state.Status}; this step needs {string.Join(" or ", allowed)}.");
        }
    }

    private static AwsServiceException InvalidParameter(string field, string why) =>
        new(AwsErrorCodes.InvalidParameter, $"Invalid parameter at '{field}' failed to satisfy constraint: '{why}'");
}
