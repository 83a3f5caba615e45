using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Paging;

namespace GrantSim.Silo.Aws;

/// <summary>
/// GetDownloadUrlForLayer (checked by the repository, answered with a URL of GrantSim's registry: <see cref="LayerDownloadUrls"/>),
/// an image's storage class (UpdateImageStorageClass) and its OCI 1.1 referrers (ListImageReferrers).
/// </summary>
public sealed partial class EcrApi
{
    private static Func<Task<JsonObject>> GetDownloadUrlForLayer(JsonInput input, AuthenticatedCaller who, string registry, string host, IEcrServiceGrain ecr, LayerDownloadUrls downloads)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var digest = input.RequiredString("layerDigest");
        return async () =>
        {
            // The repository says whether the layer is there and belongs to an image, as the caller may see it; the download
            // itself is the registry's blob GET, which authorizes again and opens the layer through the repository's grant.
            var layer = await ecr.LocateLayer(who.Caller, name, digest);
            var (url, _) = downloads.Issue(host, who.AccessKeyId, who.Account, who.Region, name, layer.Digest, registry);
            return JsonOutput.Object(("downloadUrl", url), ("layerDigest", layer.Digest));
        };
    }

    private static Func<Task<JsonObject>> UpdateImageStorageClass(JsonInput input, IEcrServiceGrain ecr, string registry, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var id = OneImageId(input);
        var target = input.RequiredString("targetStorageClass");
        if (!ImageStatuses.StorageClasses.Contains(target))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value '{target}' at 'targetStorageClass' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ImageStatuses.StorageClasses)}]");
        }

        return async () =>
        {
            var (digest, status) = await ecr.UpdateImageStorageClass(who.Caller, name, id, target);
            return JsonOutput.Object(
                ("registryId", registry),
                ("repositoryName", name),
                ("imageId", JsonOutput.Object(("imageDigest", digest), ("imageTag", id.ImageTag))),
                ("imageStatus", status));
        };
    }

    private static Func<Task<JsonObject>> ListImageReferrers(JsonInput input, IEcrServiceGrain ecr, AuthenticatedCaller who)
    {
        RegistryId(input, who);
        var name = RepositoryName(input);
        var subject = (input.OptionalObject("subjectId") ?? throw Missing("subjectId")).OptionalString("imageDigest") ?? throw Missing("subjectId.imageDigest");
        var filter = input.OptionalObject("filter");
        var artifactTypes = filter?.OptionalStringList("artifactTypes");
        var status = filter?.OptionalString("artifactStatus") ?? ImageStatuses.Active;
        var (max, start) = OffsetPages.TryReadCursor(input.OptionalString("nextToken"), out var cursor)
            ? (input.OptionalInt("maxResults") ?? ImageReferrers.MaxResults, cursor)
            : throw new AwsServiceException(AwsErrorCodes.InvalidParameter, "Invalid parameter at 'nextToken': not a token this registry issued.");
        if (max is < 1 or > ImageReferrers.MaxResults)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value '{max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {ImageReferrers.MaxResults}");
        }

        return async () =>
        {
            var referrers = await ecr.ListImageReferrers(who.Caller, name, subject, artifactTypes, status);
            return Page(referrers, max, start, "referrers", Referrer);
        };
    }

    /// <summary>A referrer as ECR's ImageReferrer (the registry's referrers index uses the same descriptor fields).</summary>
    internal static JsonObject Referrer(ImageReferrer referrer) => JsonOutput.Object(
        ("digest", referrer.Digest),
        ("mediaType", referrer.MediaType),
        ("artifactType", referrer.ArtifactType),
        ("size", referrer.Size),
        ("annotations", referrer.Annotations.Count == 0 ? null : new JsonObject(referrer.Annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)))),
        ("artifactStatus", referrer.ArtifactStatus));
}
