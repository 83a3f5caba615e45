using GrantSim.Ecr;
using GrantSim.Identity;
using Orleans.Concurrency;

namespace GrantSim.Grains;

/// <summary>
/// One repository name of an account+region, keyed <c>account/region/name</c>, across its whole
/// life (absent, creating, active, deleting). Calls on one repository are serialized, which makes
/// them linearizable: two creates, one wins; a delete and a push never interleave.
/// </summary>
[Alias("GrantSim.IRepositoryGrain")]
public interface IRepositoryGrain : IGrainWithStringKey
{
    [Alias("Create")] Task<RepositoryDescription> Create(CallerIdentity caller, EncryptionConfiguration? encryptionConfiguration, RepositorySettings? settings = null);
    [Alias("Describe")] Task<RepositoryDescription> Describe(CallerIdentity caller);
    [Alias("Delete")] Task<RepositoryDescription> Delete(CallerIdentity caller, bool force);

    /// <summary>Stores a layer or config blob; its digest is <c>sha256:</c> of the content and must equal <paramref name="expectedDigest"/> when one is given.</summary>
    [Alias("UploadBlob")] Task<BlobDescriptor> UploadBlob(CallerIdentity caller, [Immutable] byte[] content, string? expectedDigest = null);
    [Alias("CheckBlobs")] Task<IReadOnlyList<BlobDescriptor?>> CheckBlobs(CallerIdentity caller, IReadOnlyList<string> digests);
    [Alias("GetBlob")] Task<Immutable<byte[]>> GetBlob(CallerIdentity caller, string digest);

    /// <summary>Stores a manifest whose layers and config are already uploaded, optionally under a tag.</summary>
    [Alias("PutImage")] Task<ImageDetail> PutImage(CallerIdentity caller, byte[] manifest, string mediaType, string? tag);
    [Alias("GetImage")] Task<ImageManifest> GetImage(CallerIdentity caller, ImageIdentifier image);
    [Alias("DescribeImages")] Task<IReadOnlyList<ImageDetail>> DescribeImages(CallerIdentity caller);
    [Alias("DeleteImage")] Task<ImageIdentifier> DeleteImage(CallerIdentity caller, ImageIdentifier image);

    // Repository settings: resource tags, image tag mutability, scan on push.
    [Alias("TagResource")] Task TagResource(CallerIdentity caller, IReadOnlyList<RepositoryTag> tags);
    [Alias("UntagResource")] Task UntagResource(CallerIdentity caller, IReadOnlyList<string> tagKeys);
    [Alias("ListTagsForResource")] Task<IReadOnlyList<RepositoryTag>> ListTagsForResource(CallerIdentity caller);
    [Alias("PutImageTagMutability")] Task<RepositoryDescription> PutImageTagMutability(CallerIdentity caller, ImageTagMutability mutability, IReadOnlyList<ImageTagMutabilityExclusionFilter>? exclusionFilters);
    [Alias("PutImageScanningConfiguration")] Task<RepositoryDescription> PutImageScanningConfiguration(CallerIdentity caller, bool scanOnPush);

    /// <summary>The repository as BatchGetRepositoryScanningConfiguration sees it (authorized as that action).</summary>
    [Alias("DescribeScanning")] Task<RepositoryDescription> DescribeScanning(CallerIdentity caller);
    /// <summary>SetRepositoryPolicy: stores the policy text (validated; refused unless forced when it would lock the caller out) and returns it.</summary>
    [Alias("SetPolicy")] Task<string> SetPolicy(CallerIdentity caller, string policyText, bool force);

    /// <summary>GetRepositoryPolicy: the policy text, or RepositoryPolicyNotFoundException.</summary>
    [Alias("GetPolicy")] Task<string> GetPolicy(CallerIdentity caller);

    /// <summary>DeleteRepositoryPolicy: removes the policy and returns the text it had.</summary>
    [Alias("DeletePolicy")] Task<string> DeletePolicy(CallerIdentity caller);
    /// <summary>GetDownloadUrlForLayer's checks: the layer is in the repository and belongs to an image (the download is <see cref="GetBlob"/>).</summary>
    [Alias("LocateLayer")] Task<BlobDescriptor> LocateLayer(CallerIdentity caller, string digest);

    /// <summary>BatchGetImage's pull of one image, refused for a manifest whose media type is not among <paramref name="acceptedMediaTypes"/> (when given).</summary>
    [Alias("GetImageAccepting")] Task<ImageManifest> GetImageAccepting(CallerIdentity caller, ImageIdentifier image, IReadOnlyList<string>? acceptedMediaTypes);

    /// <summary>The images, as ListImages (and the registry's tags/list) may read them.</summary>
    [Alias("ListImages")] Task<IReadOnlyList<ImageDetail>> ListImages(CallerIdentity caller);

    /// <summary>The repository's internal state; not an AWS API.</summary>
    /// <summary>UpdateImageStorageClass: archives an image or restores it (ImageStorage's rules); answers the image's digest and its status after.</summary>
    [Alias("UpdateImageStorageClass")] Task<(string ImageDigest, string ImageStatus)> UpdateImageStorageClass(CallerIdentity caller, ImageIdentifier image, string targetStorageClass);

    /// <summary>ListImageReferrers: the manifests whose subject is <paramref name="subjectDigest"/> (ImageReferrers' rules).</summary>
    [Alias("ListImageReferrers")] Task<IReadOnlyList<ImageReferrer>> ListImageReferrers(CallerIdentity caller, string subjectDigest, IReadOnlyList<string>? artifactTypes, string artifactStatus);

    /// <summary>DescribeImageSigningStatus: the image's digest and its status for each signing profile whose rule matches the repository.</summary>
    [Alias("DescribeImageSigningStatus")] Task<(string ImageDigest, IReadOnlyList<ImageSigningStatus> Statuses)> DescribeImageSigningStatus(CallerIdentity caller, ImageIdentifier image);

    [Alias("Inspect")] Task<RepositorySnapshot> Inspect();

    /// <summary>Finishes a create or delete that a crash interrupted; a no-op when nothing is pending.</summary>
    [Alias("ResumePendingWork")] Task ResumePendingWork();
}
