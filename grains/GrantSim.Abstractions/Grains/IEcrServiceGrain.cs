using GrantSim.Ecr;
using GrantSim.Identity;
using Orleans.Concurrency;

namespace GrantSim.Grains;

/// <summary>The ECR API of one region: validates names and routes to the repository grains. Keyed by region.</summary>
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
    [Alias("LocateLayer")] Task<BlobDescriptor> LocateLayer(CallerIdentity caller, string repositoryName, string digest);
    [Alias("GetImageAccepting")] Task<ImageManifest> GetImageAccepting(CallerIdentity caller, string repositoryName, ImageIdentifier image, IReadOnlyList<string>? acceptedMediaTypes);
    [Alias("ListImages")] Task<IReadOnlyList<ImageDetail>> ListImages(CallerIdentity caller, string repositoryName);
}
