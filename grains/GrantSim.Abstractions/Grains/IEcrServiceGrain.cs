using GrantSim.Ecr;
using GrantSim.Identity;
using Orleans.Concurrency;

namespace GrantSim.Grains;

/// <summary>
/// The ECR API of one region: validates names and routes to the repository grains. Keyed by region (the
/// registry of the caller's own account) or by <see cref="GrainKeys.EcrRegistry"/> (<c>account/region</c>: the
/// registry of that account, which a caller of another account reaches where repository policies allow).
/// </summary>
[Alias("GrantSim.IEcrServiceGrain")]
public interface IEcrServiceGrain : IGrainWithStringKey
{
    [Alias("CreateRepository")] Task<RepositoryDescription> CreateRepository(CallerIdentity caller, CreateRepositoryRequest request);
    [Alias("DescribeRepositories")] Task<IReadOnlyList<RepositoryDescription>> DescribeRepositories(CallerIdentity caller, IReadOnlyList<string>? repositoryNames = null);
    [Alias("DeleteRepository")] Task<RepositoryDescription> DeleteRepository(CallerIdentity caller, string repositoryName, bool force = false);
    [Alias("UploadBlob")] Task<BlobDescriptor> UploadBlob(CallerIdentity caller, string repositoryName, [Immutable] byte[] content, string? expectedDigest = null);
    [Alias("CheckBlobs")] Task<IReadOnlyList<BlobDescriptor?>> CheckBlobs(CallerIdentity caller, string repositoryName, IReadOnlyList<string> digests);
    [Alias("GetBlob")] Task<Immutable<byte[]>> GetBlob(CallerIdentity caller, string repositoryName, string digest);
    [Alias("PutImage")] Task<ImageDetail> PutImage(CallerIdentity caller, string repositoryName, byte[] manifest, string mediaType, string? tag = null);
    [Alias("GetImage")] Task<ImageManifest> GetImage(CallerIdentity caller, string repositoryName, ImageIdentifier image);
    [Alias("DescribeImages")] Task<IReadOnlyList<ImageDetail>> DescribeImages(CallerIdentity caller, string repositoryName);
    [Alias("DeleteImage")] Task<ImageIdentifier> DeleteImage(CallerIdentity caller, string repositoryName, ImageIdentifier image);

    // Repository settings: resource tags (by repository ARN), image tag mutability, scanning configuration.
    [Alias("TagResource")] Task TagResource(CallerIdentity caller, string resourceArn, IReadOnlyList<RepositoryTag> tags);
    [Alias("UntagResource")] Task UntagResource(CallerIdentity caller, string resourceArn, IReadOnlyList<string> tagKeys);
    [Alias("ListTagsForResource")] Task<IReadOnlyList<RepositoryTag>> ListTagsForResource(CallerIdentity caller, string resourceArn);
    [Alias("PutImageTagMutability")] Task<RepositoryDescription> PutImageTagMutability(CallerIdentity caller, string repositoryName, ImageTagMutability mutability, IReadOnlyList<ImageTagMutabilityExclusionFilter>? exclusionFilters = null);
    [Alias("PutImageScanningConfiguration")] Task<RepositoryDescription> PutImageScanningConfiguration(CallerIdentity caller, string repositoryName, bool scanOnPush);

    /// <summary>The scanning configuration of each named repository; a name with no repository is a failure, not an error.</summary>
    [Alias("BatchGetRepositoryScanningConfiguration")] Task<(IReadOnlyList<RepositoryScanningConfiguration> Found, IReadOnlyList<string> NotFound)> BatchGetRepositoryScanningConfiguration(CallerIdentity caller, IReadOnlyList<string> repositoryNames);
    [Alias("PutRegistryScanningConfiguration")] Task<RegistryScanningConfiguration> PutRegistryScanningConfiguration(CallerIdentity caller, RegistryScanningConfiguration configuration);
    [Alias("GetRegistryScanningConfiguration")] Task<RegistryScanningConfiguration> GetRegistryScanningConfiguration(CallerIdentity caller);
    [Alias("SetRepositoryPolicy")] Task<string> SetRepositoryPolicy(CallerIdentity caller, string repositoryName, string policyText, bool force = false);
    [Alias("GetRepositoryPolicy")] Task<string> GetRepositoryPolicy(CallerIdentity caller, string repositoryName);
    [Alias("DeleteRepositoryPolicy")] Task<string> DeleteRepositoryPolicy(CallerIdentity caller, string repositoryName);
    [Alias("LocateLayer")] Task<BlobDescriptor> LocateLayer(CallerIdentity caller, string repositoryName, string digest);
    [Alias("GetImageAccepting")] Task<ImageManifest> GetImageAccepting(CallerIdentity caller, string repositoryName, ImageIdentifier image, IReadOnlyList<string>? acceptedMediaTypes);
    [Alias("ListImages")] Task<IReadOnlyList<ImageDetail>> ListImages(CallerIdentity caller, string repositoryName);
    [Alias("UpdateImageStorageClass")] Task<(string ImageDigest, string ImageStatus)> UpdateImageStorageClass(CallerIdentity caller, string repositoryName, ImageIdentifier image, string targetStorageClass);
    [Alias("ListImageReferrers")] Task<IReadOnlyList<ImageReferrer>> ListImageReferrers(CallerIdentity caller, string repositoryName, string subjectDigest, IReadOnlyList<string>? artifactTypes, string artifactStatus);
    [Alias("DescribeImageSigningStatus")] Task<(string ImageDigest, IReadOnlyList<ImageSigningStatus> Statuses)> DescribeImageSigningStatus(CallerIdentity caller, string repositoryName, ImageIdentifier image);
}
