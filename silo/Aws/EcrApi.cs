using System.Text;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Paging;
using static GrantSim.Silo.Aws.JsonOutput;

namespace GrantSim.Silo.Aws;

/// <summary>
/// ECR's JSON 1.1 operations (<c>X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.&lt;Op&gt;</c>)
/// over the region's <see cref="IEcrServiceGrain"/>. Multipart layer uploads are kept in
/// <see cref="UploadSessions"/> and end in the grain's UploadBlob.
/// </summary>
public sealed partial class EcrApi(IGrainFactory grains, UploadSessions uploads, RegistryToken tokens)
{
    public const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";

    /// <summary>The part size InitiateLayerUpload recommends (ECR's is also in the megabytes).</summary>
    public const long PartSize = 10 * 1024 * 1024;

    public Func<Task<JsonObject>>? Prepare(string operation, JsonInput input, AuthenticatedCaller who, string host)
    {
        var registry = RegistryOf(input, who);
        var ecr = EcrOf(registry, who);
        var caller = who.Caller;
        switch (operation)
        {
            case "CreateRepository":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var encryption = input.OptionalObject("encryptionConfiguration");
                EncryptionConfiguration? configuration = null;
                if (encryption is not null)
                {
                    var type = encryption.OptionalString("encryptionType")
                        ?? throw Missing("encryptionConfiguration.encryptionType");
                    EncryptionTypes.TryParse(type, out var parsed);
                    configuration = new EncryptionConfiguration(parsed, encryption.OptionalString("kmsKey"));
                }

                var settings = CreateSettings(input);
                return async () => Obj(("repository", Repository(await ecr.CreateRepository(caller, new CreateRepositoryRequest(name, configuration) { Settings = settings }))));
            }

            case "DescribeRepositories":
            {
                RegistryId(input, who);
                var names = input.OptionalStringList("repositoryNames");
                foreach (var name in names ?? [])
                {
                    RequireRepositoryName(name);
                }

                var (max, start) = Paging(input);
                return async () =>
                {
                    var repositories = await ecr.DescribeRepositories(caller, names);
                    return Page(repositories, max, start, "repositories", Repository);
                };
            }

            case "DeleteRepository":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var force = input.OptionalBool("force") ?? false;
                return async () => Obj(("repository", Repository(await ecr.DeleteRepository(caller, name, force))));
            }

            case EcrOperations.PutLifecyclePolicy: return PutLifecyclePolicy(input, who);
            case EcrOperations.GetLifecyclePolicy: return GetLifecyclePolicy(input, who);
            case EcrOperations.DeleteLifecyclePolicy: return DeleteLifecyclePolicy(input, who);
            case EcrOperations.StartLifecyclePolicyPreview: return StartLifecyclePolicyPreview(input, who);
            case EcrOperations.GetLifecyclePolicyPreview: return GetLifecyclePolicyPreview(input, who);

            case "GetAuthorizationToken":
            {
                return GetAuthorizationToken(input, who, host);
            }

            case "ListImages":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var (max, start) = Paging(input);
                var filter = input.OptionalObject("filter")?.OptionalString("tagStatus") ?? "ANY";
                var status = ImageStatusFilter(input);
                return async () =>
                {
                    var ids = (await ecr.ListImages(caller, name))
                        .Where(image => ImageStorage.Passes(image.ImageStatus, status))
                        .SelectMany(image => image.ImageTags.Count == 0
                            ? [(Digest: image.ImageDigest, Tag: (string?)null)]
                            : image.ImageTags.Select(tag => (Digest: image.ImageDigest, Tag: (string?)tag)))
                        .Where(id => filter == "ANY" || (filter == "TAGGED") == (id.Tag is not null))
                        .ToArray();
                    return Page(ids, max, start, "imageIds", id => Obj(("imageDigest", id.Digest), ("imageTag", id.Tag)));
                };
            }

            case "DescribeImages":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var wanted = ImageIds(input, required: false);
                var (max, start) = Paging(input);
                var status = ImageStatusFilter(input);
                return async () =>
                {
                    var images = (await ecr.DescribeImages(caller, name)).Where(image => ImageStorage.Passes(image.ImageStatus, status)).ToArray();
                    if (wanted is not null)
                    {
                        var missing = wanted.FirstOrDefault(id => !images.Any(image => Matches(image, id)));
                        if (missing is not null)
                        {
                            throw new AwsServiceException(AwsErrorCodes.ImageNotFound, $"The image with imageId {Describe(missing)} does not exist within the repository with name '{name}' in the registry with id '{registry}'");
                        }

                        images = images.Where(image => wanted.Any(id => Matches(image, id))).ToArray();
                    }

                    return Page(images, max, start, "imageDetails", image => Obj(
                        ("registryId", registry),
                        ("repositoryName", name),
                        ("imageDigest", image.ImageDigest),
                        ("imageTags", image.ImageTags.Count == 0 ? null : Strings(image.ImageTags)),
                        ("imageSizeInBytes", image.ImageSizeInBytes),
                        ("imagePushedAt", Timestamp(image.ImagePushedAt)),
                        ("imageManifestMediaType", image.ImageManifestMediaType),
                        ("artifactMediaType", image.ArtifactMediaType),
                        ("lastRecordedPullTime", image.LastRecordedPullTime is { } pulled ? Timestamp(pulled) : null),
                        ("subjectManifestDigest", image.SubjectManifestDigest),
                        ("imageStatus", image.ImageStatus),
                        ("lastArchivedAt", image.LastArchivedAt is { } archived ? Timestamp(archived) : null),
                        ("lastActivatedAt", image.LastActivatedAt is { } activated ? Timestamp(activated) : null)));
                };
            }

            case "BatchGetImage":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var ids = ImageIds(input, required: true)!;
                var accepted = input.OptionalStringList("acceptedMediaTypes");
                return async () =>
                {
                    var images = new JsonArray();
                    var failures = new JsonArray();
                    foreach (var id in ids)
                    {
                        try
                        {
                            var manifest = await ecr.GetImageAccepting(caller, name, id, accepted);
                            images.Add(Obj(
                                ("registryId", registry),
                                ("repositoryName", name),
                                ("imageId", Obj(("imageDigest", manifest.Digest), ("imageTag", id.ImageTag))),
                                ("imageManifest", Encoding.UTF8.GetString(manifest.Content)),
                                ("imageManifestMediaType", manifest.MediaType)));
                        }
                        catch (AwsServiceException error) when (error.ErrorCode is AwsErrorCodes.ImageNotFound or AwsErrorCodes.Kms)
                        {
                            failures.Add(Failure(id, error));
                        }
                    }

                    return Obj(("images", images), ("failures", failures));
                };
            }

            case "BatchDeleteImage":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var ids = ImageIds(input, required: true)!;
                return async () =>
                {
                    var deleted = new JsonArray();
                    var failures = new JsonArray();
                    foreach (var id in ids)
                    {
                        try
                        {
                            var gone = await ecr.DeleteImage(caller, name, id);
                            deleted.Add(Obj(("imageDigest", gone.ImageDigest), ("imageTag", gone.ImageTag)));
                        }
                        catch (AwsServiceException error) when (error.ErrorCode is AwsErrorCodes.ImageNotFound or ImageRules.ReferencedByManifestList)
                        {
                            failures.Add(Failure(id, error));
                        }
                    }

                    return Obj(("imageIds", deleted), ("failures", failures));
                };
            }

            case "PutImage":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var manifest = input.RequiredString("imageManifest");
                var mediaType = input.OptionalString("imageManifestMediaType");
                var tag = input.OptionalString("imageTag");
                var digest = input.OptionalString("imageDigest");
                var bytes = Encoding.UTF8.GetBytes(manifest);
                mediaType ??= ManifestMediaType(manifest);
                // Decided before anything is stored or any tag moves: a refused PutImage changes nothing.
                if (digest is not null && ContentDigest.Sha256(bytes) is var actual && digest != actual)
                {
                    throw new AwsServiceException(AwsErrorCodes.ImageDigestDoesNotMatch, $"The image digest '{digest}' does not match the digest of the manifest, '{actual}'.");
                }

                return async () =>
                {
                    var image = await ecr.PutImage(caller, name, bytes, mediaType, tag);

                    return Obj(("image", Obj(
                        ("registryId", registry),
                        ("repositoryName", name),
                        ("imageId", Obj(("imageDigest", image.ImageDigest), ("imageTag", tag))),
                        ("imageManifest", manifest),
                        ("imageManifestMediaType", image.ImageManifestMediaType))));
                };
            }

            case "InitiateLayerUpload":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                return async () =>
                {
                    // The repository must exist and the caller see it before an upload starts.
                    await ecr.DescribeRepositories(caller, [name]);
                    var id = uploads.Start(caller.Principal, UploadScope(registry, who, name));
                    return Obj(("uploadId", id), ("partSize", PartSize));
                };
            }

            case "UploadLayerPart":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var uploadId = UploadId(input);
                var first = input.OptionalLong("partFirstByte") ?? throw Missing("partFirstByte");
                var last = input.OptionalLong("partLastByte") ?? throw Missing("partLastByte");
                var blob = input.RequiredBlob("layerPartBlob");
                if (last - first + 1 != blob.Length)
                {
                    throw new AwsServiceException(UploadSessions.InvalidLayerPart, $"The part holds {blob.Length} bytes, but partFirstByte {first} and partLastByte {last} say {last - first + 1}.");
                }

                return () =>
                {
                    var length = uploads.Append(uploadId, caller.Principal, UploadScope(registry, who, name), first, blob);
                    return Task.FromResult(Obj(("registryId", registry), ("repositoryName", name), ("uploadId", uploadId), ("lastByteReceived", length - 1)));
                };
            }

            case "CompleteLayerUpload":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var uploadId = UploadId(input);
                var digests = input.OptionalStringList("layerDigests") ?? throw Missing("layerDigests");
                if (digests.Count != 1)
                {
                    throw new AwsServiceException(AwsErrorCodes.InvalidLayer, "CompleteLayerUpload takes the digest of the one layer uploaded.");
                }

                return async () =>
                {
                    // Sealed, not ended: a layer the repository refuses (a wrong digest, a KMS error) leaves the upload as it was.
                    var scope = UploadScope(registry, who, name);
                    var content = await uploads.SealAsync(uploadId, caller.Principal, scope);
                    try
                    {
                        var blob = await ecr.UploadBlob(caller, name, content, digests[0]);
                        uploads.Finish(uploadId, caller.Principal, scope);
                        return Obj(("registryId", registry), ("repositoryName", name), ("uploadId", uploadId), ("layerDigest", blob.Digest));
                    }
                    catch (AwsServiceException error)
                    {
                        uploads.Unseal(uploadId, caller.Principal, scope);
                        throw error.ErrorCode == AwsErrorCodes.InvalidParameter && digests[0].StartsWith("sha256:", StringComparison.Ordinal)
                            ? new AwsServiceException(AwsErrorCodes.InvalidLayer, error.Message)
                            : error;
                    }
                };
            }

            case "BatchCheckLayerAvailability":
            {
                RegistryId(input, who);
                var name = RepositoryName(input);
                var digests = input.OptionalStringList("layerDigests") ?? throw Missing("layerDigests");
                return async () =>
                {
                    var found = await ecr.CheckBlobs(caller, name, digests);
                    var layers = new JsonArray();
                    var failures = new JsonArray();
                    for (var i = 0; i < digests.Count; i++)
                    {
                        if (found[i] is { } blob)
                        {
                            layers.Add(Obj(("layerDigest", blob.Digest), ("layerAvailability", "AVAILABLE"), ("layerSize", blob.Size)));
                        }
                        else
                        {
                            failures.Add(Obj(("layerDigest", digests[i]), ("failureCode", "MissingLayerDigest"), ("failureReason", "Requested layer not found")));
                        }
                    }

                    return Obj(("layers", layers), ("failures", failures));
                };
            }

            case EcrOperations.TagResource: return TagResource(input, ecr, who);
            case EcrOperations.UntagResource: return UntagResource(input, ecr, who);
            case EcrOperations.ListTagsForResource: return ListTagsForResource(input, ecr, who);
            case EcrOperations.PutImageTagMutability: return PutImageTagMutability(input, ecr, who);
            case EcrOperations.PutImageScanningConfiguration: return PutImageScanningConfiguration(input, ecr, who);
            case EcrOperations.BatchGetRepositoryScanningConfiguration: return BatchGetRepositoryScanningConfiguration(input, ecr, who);
            case EcrOperations.PutRegistryScanningConfiguration: return PutRegistryScanningConfiguration(input, ecr, who);
            case EcrOperations.GetRegistryScanningConfiguration: return GetRegistryScanningConfiguration(ecr, who);
            case EcrOperations.StartImageScan: return StartImageScan(input, who);
            case EcrOperations.DescribeImageScanFindings: return DescribeImageScanFindings(input, who);
            case EcrOperations.SetRepositoryPolicy:
                return SetRepositoryPolicy(input, who, ecr, registry);
            case EcrOperations.GetRepositoryPolicy:
                return GetRepositoryPolicy(input, who, ecr, registry);
            case EcrOperations.DeleteRepositoryPolicy:
                return DeleteRepositoryPolicy(input, who, ecr, registry);
            case EcrOperations.GetDownloadUrlForLayer:
                return GetDownloadUrlForLayer(input, who, registry, host, ecr, tokens.Downloads);
            case EcrOperations.GetAccountSetting: return GetAccountSetting(input, who);
            case EcrOperations.PutAccountSetting: return PutAccountSetting(input, who);
            case EcrOperations.PutSigningConfiguration: return PutSigningConfiguration(input, who);
            case EcrOperations.GetSigningConfiguration: return GetSigningConfiguration(who);
            case EcrOperations.DeleteSigningConfiguration: return DeleteSigningConfiguration(who);
            case EcrOperations.DescribeImageSigningStatus: return DescribeImageSigningStatus(input, ecr, registry, who);
            case EcrOperations.ListImageReferrers: return ListImageReferrers(input, ecr, who);
            case EcrOperations.UpdateImageStorageClass: return UpdateImageStorageClass(input, ecr, registry, who);
            case "PutRegistryPolicy": return PutRegistryPolicy(input, who);
            case EcrOperations.RegisterPullTimeUpdateExclusion: return RegisterPullTimeUpdateExclusion(input, who);
            case EcrOperations.DeregisterPullTimeUpdateExclusion: return DeregisterPullTimeUpdateExclusion(input, who);
            case EcrOperations.ListPullTimeUpdateExclusions: return ListPullTimeUpdateExclusions(input, who);
            case "GetRegistryPolicy": return GetRegistryPolicy(who);
            case "DeleteRegistryPolicy": return DeleteRegistryPolicy(who);
            case "PutReplicationConfiguration": return PutReplicationConfiguration(input, who);
            case "DescribeRegistry": return DescribeRegistry(who);
            case "DescribeImageReplicationStatus": return DescribeImageReplicationStatus(input, who);
            case "CreateRepositoryCreationTemplate": return CreateRepositoryCreationTemplate(input, who);
            case "UpdateRepositoryCreationTemplate": return UpdateRepositoryCreationTemplate(input, who);
            case "DeleteRepositoryCreationTemplate": return DeleteRepositoryCreationTemplate(input, who);
            case "DescribeRepositoryCreationTemplates": return DescribeRepositoryCreationTemplates(input, who);
            case "CreatePullThroughCacheRule" or "DescribePullThroughCacheRules" or "DeletePullThroughCacheRule" or "UpdatePullThroughCacheRule" or "ValidatePullThroughCacheRule":
                return PullThroughCacheRule(operation, input);

            default:
                return null;
        }
    }

    /// <summary>The scope of an upload: one repository of one registry (account) and region.</summary>
    public static string UploadScope(string registry, AuthenticatedCaller who, string repositoryName) => GrainKeys.Repository(registry, who.Region, repositoryName);

    public static JsonObject Repository(RepositoryDescription repository) => Obj(
        ("repositoryArn", repository.RepositoryArn),
        ("registryId", repository.RegistryId),
        ("repositoryName", repository.RepositoryName),
        ("repositoryUri", repository.RepositoryUri),
        ("createdAt", Timestamp(repository.CreatedAt)),
        ("imageTagMutability", repository.Settings.ImageTagMutability.ToWire()),
        ("imageTagMutabilityExclusionFilters", WriteExclusionFilters(repository.Settings.ExclusionFilters)),
        ("imageScanningConfiguration", Obj(("scanOnPush", repository.Settings.ScanOnPush))),
        ("encryptionConfiguration", Obj(
            ("encryptionType", repository.EncryptionConfiguration.EncryptionType.ToWire()),
            ("kmsKey", repository.EncryptionConfiguration.KmsKey))));

    /// <summary>The media type a manifest names for itself; Docker's v2 schema 2 when it names none, as ECR assumes.</summary>
    public static string ManifestMediaType(string manifest)
    {
        try
        {
            return JsonNode.Parse(manifest)?["mediaType"]?.GetValue<string>() ?? "application/vnd.docker.distribution.manifest.v2+json";
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new AwsServiceException(AwsErrorCodes.InvalidParameter, "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
        }
    }

    /// <summary>
    /// DescribeImages' and ListImages' <c>filter.imageStatus</c>: ANY when not given, since archived images are still listed
    /// and described (the ECR User Guide); docs/decisions.md.
    /// </summary>
    private static string ImageStatusFilter(JsonInput input)
    {
        var status = input.OptionalObject("filter")?.OptionalString("imageStatus") ?? ImageStatuses.Any;
        return ImageStatuses.Filters.Contains(status)
            ? status
            : throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value '{status}' at 'filter.imageStatus' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ImageStatuses.Filters)}]");
    }

    private static bool Matches(ImageDetail image, ImageIdentifier id) =>
        (id.ImageDigest is null || id.ImageDigest == image.ImageDigest) && (id.ImageTag is null || image.ImageTags.Contains(id.ImageTag));

    private static string Describe(ImageIdentifier id) => $"{{imageDigest:'{id.ImageDigest ?? "null"}', imageTag:'{id.ImageTag ?? "null"}'}}";

    private static JsonObject Failure(ImageIdentifier id, AwsServiceException error) => Obj(
        ("imageId", Obj(("imageDigest", id.ImageDigest), ("imageTag", id.ImageTag))),
        ("failureCode", error.ErrorCode switch
        {
            AwsErrorCodes.Kms => "KmsError",
            ImageRules.ReferencedByManifestList => ImageRules.ReferencedByManifestList,
            _ => "ImageNotFound",
        }),
        ("failureReason", error.Message));

    private static IReadOnlyList<ImageIdentifier>? ImageIds(JsonInput input, bool required)
    {
        var list = input.OptionalObjectList("imageIds");
        if (list is null)
        {
            return required ? throw Missing("imageIds") : null;
        }

        return list.Select(id =>
        {
            var digest = id.OptionalString("imageDigest");
            var tag = id.OptionalString("imageTag");
            return digest is null && tag is null
                ? throw new AwsServiceException(AwsErrorCodes.InvalidParameter, "Invalid parameter at 'imageIds': an image id needs an imageDigest or an imageTag.")
                : new ImageIdentifier(digest, tag);
        }).ToArray();
    }

    // Another account's registry id is served (RegistryOf routes there); its repositories' policies decide.
    private static void RegistryId(JsonInput input, AuthenticatedCaller who) => _ = RegistryOf(input, who);

    private static string RepositoryName(JsonInput input) => RequireRepositoryName(input.RequiredString("repositoryName"));

    private static string RequireRepositoryName(string name) =>
        RepositoryNames.IsValid(name)
            ? name
            : throw new AwsServiceException(AwsErrorCodes.Validation,
                $"1 validation error detected: Value '{name}' at 'repositoryName' failed to satisfy constraint: Member must satisfy regular expression pattern: {RepositoryNames.Pattern}");

    private static string UploadId(JsonInput input)
    {
        var id = input.RequiredString("uploadId");
        return Guid.TryParseExact(id, "D", out _)
            ? id
            : throw new AwsServiceException(AwsErrorCodes.InvalidParameter, $"Invalid parameter at 'uploadId': '{id}' is not an upload id.");
    }

    private static (int Max, int Start) Paging(JsonInput input) =>
        OffsetPages.TryReadCursor(input.OptionalString("nextToken"), out var start)
            ? (input.OptionalInt("maxResults") ?? 100, start)
            : throw new AwsServiceException(AwsErrorCodes.InvalidParameter, "Invalid parameter at 'nextToken': not a token this registry issued.");

    private static JsonObject Page<T>(IReadOnlyList<T> items, int max, int start, string member, Func<T, JsonObject> write)
    {
        var (page, next) = OffsetPages.Cut(items, max, start);
        return Obj((member, new JsonArray(page.Select(i => (JsonNode)write(i)).ToArray())), ("nextToken", next));
    }

    private static AwsServiceException Missing(string name) =>
        new(AwsErrorCodes.Validation, $"1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null");

    private static JsonObject Obj(params (string Name, JsonNode? Value)[] members) => JsonOutput.Object(members);
}
