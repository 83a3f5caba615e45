using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Identity;
using Orleans.Concurrency;

namespace GrantSim.Ecr;

/// <summary>
/// The ECR endpoint of a region: checks the caller and the repository name before any grain for
/// that name is activated, then routes to the repository of the registry it is keyed by: the
/// caller's own account's, or the account named by a registryId (EcrServiceGrain.Registries.cs),
/// whose repository then decides by its policy whether this caller may (RepositoryGrain.Policies.cs).
/// Reentrant as well as a stateless worker: it holds nothing, and a worker that waited for each
/// call to finish would let only one call per core be in flight in the whole silo.
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class EcrServiceGrain : Grain, IEcrServiceGrain
{
    private string Region => Address.Region;

    public Task<RepositoryDescription> CreateRepository(CallerIdentity caller, CreateRepositoryRequest request) =>
        Repository(caller, request.RepositoryName).Create(caller, request.EncryptionConfiguration, request.Settings);

    public async Task<IReadOnlyList<RepositoryDescription>> DescribeRepositories(CallerIdentity caller, IReadOnlyList<string>? repositoryNames = null)
    {
        var account = Account(caller);
        if (repositoryNames is { Count: > 0 })
        {
            return await Task.WhenAll(repositoryNames.Select(name => Repository(caller, name).Describe(caller)));
        }

        RequireListable(caller, account);
        var names = await GrainFactory.GetGrain<IRepositoryRegistryGrain>(GrainKeys.TenantRegion(account, Region)).List();
        var found = new List<RepositoryDescription>(names.Count);
        foreach (var name in names)
        {
            try
            {
                found.Add(await Repository(caller, name).Describe(caller));
            }
            catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.RepositoryNotFound)
            {
                // Listed while a create or delete was under way: not a repository (yet, or any more).
            }
        }

        return found;
    }

    public Task<RepositoryDescription> DeleteRepository(CallerIdentity caller, string repositoryName, bool force = false) =>
        Repository(caller, repositoryName).Delete(caller, force);

    public Task<BlobDescriptor> UploadBlob(CallerIdentity caller, string repositoryName, [Immutable] byte[] content, string? expectedDigest = null) =>
        Repository(caller, repositoryName).UploadBlob(caller, content, expectedDigest);

    public Task<IReadOnlyList<BlobDescriptor?>> CheckBlobs(CallerIdentity caller, string repositoryName, IReadOnlyList<string> digests) =>
        Repository(caller, repositoryName).CheckBlobs(caller, digests);

    public Task<Immutable<byte[]>> GetBlob(CallerIdentity caller, string repositoryName, string digest) =>
        Repository(caller, repositoryName).GetBlob(caller, digest);

    public Task<ImageDetail> PutImage(CallerIdentity caller, string repositoryName, byte[] manifest, string mediaType, string? tag = null) =>
        Repository(caller, repositoryName).PutImage(caller, manifest, mediaType, tag);

    public Task<ImageManifest> GetImage(CallerIdentity caller, string repositoryName, ImageIdentifier image) =>
        Repository(caller, repositoryName).GetImage(caller, image);

    public Task<IReadOnlyList<ImageDetail>> DescribeImages(CallerIdentity caller, string repositoryName) =>
        Repository(caller, repositoryName).DescribeImages(caller);

    public Task<ImageIdentifier> DeleteImage(CallerIdentity caller, string repositoryName, ImageIdentifier image) =>
        Repository(caller, repositoryName).DeleteImage(caller, image);

    private string Account(CallerIdentity caller)
    {
        caller.ValidateFor(Region);
        var own = caller.Account ?? throw new AwsServiceException(AwsErrorCodes.AccessDenied, $"{caller.Principal} has no registry: ECR calls need an IAM principal.");
        return Address.Registry ?? own;
    }

    private IRepositoryGrain Repository(CallerIdentity caller, string? repositoryName)
    {
        var account = Account(caller);
        var name = RepositoryNames.Require(repositoryName);
        return GrainFactory.GetGrain<IRepositoryGrain>(GrainKeys.Repository(account, Region, name));
    }
}
