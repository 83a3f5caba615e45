using GrantSim.Aws;
using GrantSim.Crypto;

namespace GrantSim.Ecr;

/// <summary>
/// OCI 1.1 referrers (ListImageReferrers, the registry's <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>): the manifests of a
/// repository whose <c>subject</c> names a digest, each as a descriptor (its manifest's size and media type, its artifact
/// type and annotations) with its <c>artifactStatus</c>. Pure.
/// </summary>
public static class ImageReferrers
{
    /// <summary>ListImageReferrers' most per page (the model's FiftyMaxResults), also its default.</summary>
    public const int MaxResults = 50;

    /// <summary>At most this many artifact types in one filter (the model's ArtifactTypeList).</summary>
    public const int MaxArtifactTypes = 5;

    /// <summary>
    /// The referrers of <paramref name="subjectDigest"/>, oldest push first: those of one of <paramref name="artifactTypes"/>
    /// (any, when none is given) whose status passes <paramref name="statusFilter"/>. The subject itself need not be present.
    /// </summary>
    public static IReadOnlyList<ImageReferrer> Of(RepositoryState state, string subjectDigest, IReadOnlyCollection<string>? artifactTypes, string statusFilter, DateTimeOffset now)
    {
        if (!ContentDigest.IsValid(subjectDigest))
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidParameter, $"Invalid parameter at 'subjectId.imageDigest': '{subjectDigest}' is not a sha256 digest.");
        }

        if (artifactTypes is { Count: > MaxArtifactTypes })
        {
            throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value at 'filter.artifactTypes' failed to satisfy constraint: Member must have length less than or equal to {MaxArtifactTypes}");
        }

        if (!ImageStatuses.Filters.Contains(statusFilter))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value '{statusFilter}' at 'filter.artifactStatus' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ImageStatuses.Filters)}]");
        }

        return state.Images.Values
            .Where(i => i.SubjectDigest == subjectDigest)
            .Where(i => artifactTypes is not { Count: > 0 } || (i.ArtifactType is { } type && artifactTypes.Contains(type)))
            .Select(i => (Image: i, Status: ImageStorage.StatusAt(i, now)))
            .Where(r => ImageStorage.Passes(r.Status, statusFilter))
            .OrderBy(r => r.Image.PushedAt).ThenBy(r => r.Image.ManifestDigest, StringComparer.Ordinal)
            .Select(r => new ImageReferrer(r.Image.ManifestDigest, r.Image.MediaType, r.Image.ArtifactType, r.Image.ManifestSize, r.Image.Annotations, r.Status))
            .ToArray();
    }
}
