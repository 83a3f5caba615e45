using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// An image's storage class (UpdateImageStorageClass): STANDARD images are ACTIVE; archiving makes one ARCHIVED, and it
/// cannot be pulled (the ECR User Guide: "Requests to pull the archived image will fail with a 404 error") though it is
/// still listed and described; restoring makes it ACTIVATING for <see cref="RestoreDuration"/> of simulated time, then
/// ACTIVE. The status is read from the clock, so no timer is needed for the move. The image's stored objects are
/// untouched either way: they stay encrypted under the repository's key, and a pull after the restore opens them through
/// the repository's grant as before. Pure.
/// </summary>
public static class ImageStorage
{
    /// <summary>
    /// How long a restore takes. AWS documents no duration for ECR's restore; GrantSim takes 20 minutes of simulated time
    /// (docs/decisions.md), long enough for a client to see ACTIVATING and short enough to wait out on the clock.
    /// </summary>
    public static readonly TimeSpan RestoreDuration = TimeSpan.FromMinutes(20);

    /// <summary>ACTIVE, ARCHIVED or ACTIVATING at <paramref name="now"/>.</summary>
    public static string StatusAt(ImageEntry image, DateTimeOffset now) =>
        image.Archived ? ImageStatuses.Archived
        : image.RestoredAt is { } restored && restored > now ? ImageStatuses.Activating
        : ImageStatuses.Active;

    /// <summary>When the image last became active after a restore; none while a restore is under way, or if it never was restored.</summary>
    public static DateTimeOffset? LastActivatedAt(ImageEntry image, DateTimeOffset now) =>
        image.RestoredAt is { } restored && restored <= now ? restored : null;

    /// <summary>Whether a status passes a DescribeImages or ListImageReferrers status filter (ANY passes every status).</summary>
    public static bool Passes(string status, string filter) => filter == ImageStatuses.Any || filter == status;

    /// <summary>
    /// The image moved to <paramref name="targetStorageClass"/>. Asking for the class it is already in (or moving to) changes
    /// nothing; archiving an image that is being restored, or one an index of the repository names (it would leave the
    /// index half pullable), is ImageStorageClassUpdateNotSupportedException. An unknown class is InvalidParameterException.
    /// </summary>
    public static ImageEntry Update(RepositoryState state, ImageEntry image, string targetStorageClass, DateTimeOffset now)
    {
        var status = StatusAt(image, now);
        switch (targetStorageClass)
        {
            case ImageStatuses.ArchiveStorageClass when status == ImageStatuses.Archived:
            case ImageStatuses.StandardStorageClass when status != ImageStatuses.Archived:
                return image;
            case ImageStatuses.ArchiveStorageClass when status == ImageStatuses.Activating:
                throw NotSupported($"The image '{image.ManifestDigest}' is being restored (ACTIVATING); it can be archived again once it is ACTIVE.");
            case ImageStatuses.ArchiveStorageClass:
                var index = ImageRules.IndexesReferencing(state, image.ManifestDigest).FirstOrDefault(i => !state.Images[i].Archived);
                return index is not null
                    ? throw NotSupported($"The image '{image.ManifestDigest}' is referenced by the manifest list '{index}', which is not archived: archive the manifest list first.")
                    : image with { Archived = true, LastArchivedAt = now };
            case ImageStatuses.StandardStorageClass:
                return Restore(image, now);
            default:
                throw new AwsServiceException(AwsErrorCodes.InvalidParameter,
                    $"Invalid parameter at 'targetStorageClass' failed to satisfy constraint: 'Member must satisfy enum value set: [{string.Join(", ", ImageStatuses.StorageClasses)}]'");
        }
    }

    /// <summary>An archived image put back in STANDARD storage: ACTIVATING until <see cref="RestoreDuration"/> has passed. (Also what re-pushing an archived image does.)</summary>
    public static ImageEntry Restore(ImageEntry image, DateTimeOffset now) =>
        image.Archived ? image with { Archived = false, RestoredAt = now + RestoreDuration } : image;

    /// <summary>A pull of an image that is not ACTIVE is ECR's 404: ImageNotFoundException, saying why.</summary>
    public static void RequirePullable(ImageEntry image, DateTimeOffset now, string account, string name)
    {
        var status = StatusAt(image, now);
        if (status != ImageStatuses.Active)
        {
            throw new AwsServiceException(AwsErrorCodes.ImageNotFound,
                $"The image with digest '{image.ManifestDigest}' in the repository with name '{name}' in the registry with id '{account}' is {status}: "
                + (status == ImageStatuses.Archived ? "restore it to STANDARD storage (UpdateImageStorageClass) before pulling it." : "its restore has not finished yet."));
        }
    }

    private static AwsServiceException NotSupported(string message) => new(AwsErrorCodes.ImageStorageClassUpdateNotSupported, message);
}
