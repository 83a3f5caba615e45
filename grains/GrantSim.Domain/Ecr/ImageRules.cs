using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// What ECR reports about images and the rules of images that reference each other (manifest lists and
/// OCI image indexes), beside the lifecycle's push and delete: tags in push order, the size ECR computes,
/// pull times, accepted media types, layer downloads. Pure: every method reads or returns a state.
/// </summary>
public static class ImageRules
{
    /// <summary>The failure code of a BatchDeleteImage entry whose image an index in the repository still names.</summary>
    public const string ReferencedByManifestList = "ImageReferencedByManifestList";

    /// <summary>ECR refreshes an image's last recorded pull time at least once every 24 hours; GrantSim records at most that often.</summary>
    public static readonly TimeSpan PullRecordInterval = TimeSpan.FromHours(24);

    // ---- tags ----

    /// <summary>The tags of an image, in the order they were put on it (oldest first), as ECR lists them.</summary>
    public static IReadOnlyList<string> TagsOf(RepositoryState state, string manifestDigest)
    {
        var ordered = state.TagOrder.Where(t => state.Tags.GetValueOrDefault(t) == manifestDigest).Distinct(StringComparer.Ordinal).ToList();
        // A state stored before tags were ordered: those tags follow, by name, so every tag is still reported.
        ordered.AddRange(state.Tags.Where(t => t.Value == manifestDigest && !ordered.Contains(t.Key, StringComparer.Ordinal))
            .Select(t => t.Key).Order(StringComparer.Ordinal));
        return ordered;
    }

    /// <summary>The tag order once <paramref name="tag"/> has been put on an image: it moves to the end.</summary>
    public static RepositoryState WithTagPut(RepositoryState state, string? tag) =>
        tag is null ? state : state with { TagOrder = state.TagOrder.Remove(tag, StringComparer.Ordinal).Add(tag) };

    /// <summary>The tag order without the tags that are no longer in <see cref="RepositoryState.Tags"/>.</summary>
    public static RepositoryState WithoutStaleTags(RepositoryState state) =>
        state with { TagOrder = state.TagOrder.RemoveAll(t => !state.Tags.ContainsKey(t)) };

    // ---- size ----

    /// <summary>
    /// ECR's <c>imageSizeInBytes</c>: for an image manifest the layers as stored — compressed, as the client
    /// pushed them — each distinct layer once (neither the config nor the manifest counts); for a manifest list
    /// or index the largest of the images it names, as the API reference says.
    /// </summary>
    public static long SizeInBytes(RepositoryState state, ImageEntry image)
    {
        if (image.IsIndex)
        {
            // An index may only name images already present, so this recursion ends: no index names itself or a later one.
            return image.ManifestDigests.Distinct(StringComparer.Ordinal)
                .Select(d => state.Images.TryGetValue(d, out var child) && child.ManifestDigest != image.ManifestDigest ? SizeInBytes(state, child) : 0)
                .DefaultIfEmpty(0).Max();
        }

        return image.LayerDigests.Distinct(StringComparer.Ordinal).Sum(d => state.Blobs.TryGetValue(d, out var blob) ? blob.Size : 0);
    }

    // ---- references between images ----

    /// <summary>The indexes (manifest lists) of the repository that name this image, by digest.</summary>
    public static IReadOnlyList<string> IndexesReferencing(RepositoryState state, string manifestDigest) =>
        state.Images.Values.Where(i => i.IsIndex && i.ManifestDigest != manifestDigest && i.ManifestDigests.Contains(manifestDigest, StringComparer.Ordinal))
            .Select(i => i.ManifestDigest).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// A delete may not take away an image that an index still names (ECR's failure ImageReferencedByManifestList):
    /// neither by its digest nor by removing its last tag. The index must go first; the images it names stay when it does.
    /// </summary>
    public static void RequireNotReferenced(RepositoryState before, RepositoryState after, string manifestDigest)
    {
        if (before.Images.ContainsKey(manifestDigest) && !after.Images.ContainsKey(manifestDigest)
            && IndexesReferencing(before, manifestDigest) is { Count: > 0 } indexes)
        {
            throw new AwsServiceException(ReferencedByManifestList,
                $"Requested image referenced by manifest list: [{string.Join(", ", indexes)}]");
        }
    }

    // ---- pulls ----

    /// <summary>The image with this pull recorded, or null when the last recorded pull is recent enough to stand (no write needed).</summary>
    public static ImageEntry? RecordPull(ImageEntry image, DateTimeOffset now) =>
        image.LastRecordedPullTime is { } last && now - last < PullRecordInterval ? null : image with { LastRecordedPullTime = now };

    /// <summary>
    /// BatchGetImage's <c>acceptedMediaTypes</c>: GrantSim returns a manifest as it was pushed and converts none, so a
    /// manifest of a type the caller does not accept is a failure for that image (ImageNotFound, with the reason).
    /// </summary>
    public static void RequireAccepted(ImageEntry image, IReadOnlyCollection<string>? acceptedMediaTypes)
    {
        if (acceptedMediaTypes is { Count: > 0 } && !acceptedMediaTypes.Contains(image.MediaType, StringComparer.Ordinal))
        {
            throw new AwsServiceException(AwsErrorCodes.ImageNotFound,
                $"The image's manifest media type {image.MediaType} is not among the accepted media types [{string.Join(", ", acceptedMediaTypes)}], and Amazon ECR (as GrantSim simulates it) does not convert manifests.");
        }
    }

    // ---- layer downloads ----

    /// <summary>
    /// GetDownloadUrlForLayer's checks: the layer must be in the repository (LayersNotFoundException) and belong to an
    /// image, as a layer or as its config (LayerInaccessibleException: an unassociated layer may be cleaned up at any time).
    /// </summary>
    public static BlobEntry RequireDownloadable(RepositoryState state, string account, string name, string digest)
    {
        if (!state.Blobs.TryGetValue(digest, out var blob))
        {
            throw new AwsServiceException(AwsErrorCodes.LayersNotFound,
                $"The layer with digest '{digest}' does not exist within the repository with name '{name}' in the registry with id '{account}'");
        }

        if (!state.Images.Values.Any(i => i.ConfigDigest == digest || i.LayerDigests.Contains(digest, StringComparer.Ordinal)))
        {
            throw new AwsServiceException(AwsErrorCodes.LayerInaccessible,
                $"The layer with digest '{digest}' is not associated with an image in the repository with name '{name}' in the registry with id '{account}'");
        }

        return blob;
    }
}
