using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>Layer downloads, pulls with accepted media types and image listings, routed to the repository's grain.</summary>
public sealed partial class EcrServiceGrain
{
    public Task<BlobDescriptor> LocateLayer(CallerIdentity caller, string repositoryName, string digest) =>
        Repository(caller, repositoryName).LocateLayer(caller, digest);

    public Task<ImageManifest> GetImageAccepting(CallerIdentity caller, string repositoryName, ImageIdentifier image, IReadOnlyList<string>? acceptedMediaTypes) =>
        Repository(caller, repositoryName).GetImageAccepting(caller, image, acceptedMediaTypes);

    public Task<IReadOnlyList<ImageDetail>> ListImages(CallerIdentity caller, string repositoryName) =>
        Repository(caller, repositoryName).ListImages(caller);

    public Task<(string ImageDigest, string ImageStatus)> UpdateImageStorageClass(CallerIdentity caller, string repositoryName, ImageIdentifier image, string targetStorageClass) =>
        Repository(caller, repositoryName).UpdateImageStorageClass(caller, image, targetStorageClass);

    public Task<IReadOnlyList<ImageReferrer>> ListImageReferrers(CallerIdentity caller, string repositoryName, string subjectDigest, IReadOnlyList<string>? artifactTypes, string artifactStatus) =>
        Repository(caller, repositoryName).ListImageReferrers(caller, subjectDigest, artifactTypes, artifactStatus);

    public Task<(string ImageDigest, IReadOnlyList<ImageSigningStatus> Statuses)> DescribeImageSigningStatus(CallerIdentity caller, string repositoryName, ImageIdentifier image) =>
        Repository(caller, repositoryName).DescribeImageSigningStatus(caller, image);
}
