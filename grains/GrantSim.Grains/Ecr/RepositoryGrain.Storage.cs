using GrantSim.Audit;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>
/// Images' storage class (UpdateImageStorageClass: <see cref="ImageStorage"/>), their OCI 1.1 referrers
/// (<see cref="ImageReferrers"/>) and their managed-signing status (<see cref="SigningConfigurations"/>, with the registry's
/// configuration). Each is authorized as its own ECR action on the repository and recorded in the trail. Archiving moves
/// no object and touches no key or grant: the image's objects stay encrypted under the repository's key, and a pull after
/// the restore opens them through the repository's grant as any pull does.
/// </summary>
public sealed partial class RepositoryGrain
{
    public Task<(string ImageDigest, string ImageStatus)> UpdateImageStorageClass(CallerIdentity caller, ImageIdentifier image, string targetStorageClass) =>
        AuditedImageCall(caller, EcrOperations.UpdateImageStorageClass, async () =>
        {
            var entry = RepositoryLifecycle.FindImage(Repository, _account, _name, image);
            var now = clock.UtcNow;
            var updated = ImageStorage.Update(Repository, entry, targetStorageClass, now);
            if (!ReferenceEquals(updated, entry))
            {
                await Save(Repository with { Images = Repository.Images.SetItem(updated.ManifestDigest, updated) });
            }

            return (updated.ManifestDigest, ImageStorage.StatusAt(updated, now));
        });

    public Task<IReadOnlyList<ImageReferrer>> ListImageReferrers(CallerIdentity caller, string subjectDigest, IReadOnlyList<string>? artifactTypes, string artifactStatus) =>
        AuditedImageCall(caller, EcrOperations.ListImageReferrers, () =>
            Task.FromResult(ImageReferrers.Of(Repository, subjectDigest, artifactTypes, artifactStatus, clock.UtcNow)));

    public Task<(string ImageDigest, IReadOnlyList<ImageSigningStatus> Statuses)> DescribeImageSigningStatus(CallerIdentity caller, ImageIdentifier image) =>
        AuditedImageCall(caller, EcrOperations.DescribeImageSigningStatus, async () =>
        {
            var entry = RepositoryLifecycle.FindImage(Repository, _account, _name, image);
            var configuration = await GrainFactory.GetGrain<IRegistryGrain>(RegistryKey).CurrentSigningConfiguration();
            return (entry.ManifestDigest, SigningConfigurations.StatusesFor(configuration, _name));
        });

    private Task<T> AuditedImageCall<T>(CallerIdentity caller, string operation, Func<Task<T>> action) =>
        Audited(caller, operation, new AuditRequestParameters { RepositoryName = _name }, () => ActiveOperation(caller, operation, action));
}
