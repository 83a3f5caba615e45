using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Ecr;

/// <summary>
/// Images as real tools push and pull them: layer downloads (GetDownloadUrlForLayer's checks; the download
/// itself is <see cref="GetBlob"/>, the registry's blob GET), pulls that honour BatchGetImage's accepted media
/// types and record ECR's last pull time, and the image listing ListImages and the registry's tags/list read.
/// The rules are <see cref="ImageRules"/>'s.
/// </summary>
public sealed partial class RepositoryGrain
{
    public Task<BlobDescriptor> LocateLayer(CallerIdentity caller, string digest) =>
        ActiveOperation(caller, EcrOperations.GetDownloadUrlForLayer, () =>
        {
            var blob = ImageRules.RequireDownloadable(Repository, _account, _name, digest);
            return Task.FromResult(new BlobDescriptor(blob.Digest, blob.Size));
        });

    public Task<ImageManifest> GetImageAccepting(CallerIdentity caller, ImageIdentifier image, IReadOnlyList<string>? acceptedMediaTypes) =>
        ActiveOperation(caller, EcrOperations.BatchGetImage, async () =>
        {
            var entry = RepositoryLifecycle.FindImage(Repository, _account, _name, image);
            ImageStorage.RequirePullable(entry, clock.UtcNow, _account, _name);
            ImageRules.RequireAccepted(entry, acceptedMediaTypes);
            var content = await _objects.Load(Repository, StoredObjectKind.Manifest, entry.ManifestDigest, EcrOperations.BatchGetImage);
            metrics.Pulled(_account, _region, content.LongLength);
            await RecordPull(entry, caller);
            return new ImageManifest(entry.ManifestDigest, entry.MediaType, content);
        });

    public Task<IReadOnlyList<ImageDetail>> ListImages(CallerIdentity caller) =>
        ActiveOperation(caller, EcrOperations.ListImages, () => Task.FromResult(ImagesInPushOrder()));

    private IReadOnlyList<ImageDetail> ImagesInPushOrder() =>
        Repository.Images.Values.OrderBy(i => i.PushedAt).ThenBy(i => i.ManifestDigest, StringComparer.Ordinal)
            .Select(i => RepositoryLifecycle.Detail(Repository, i, clock.UtcNow)).ToArray();

    /// <summary>
    /// ECR's lastRecordedPullTime: written only when the recorded one is a day old or missing, so most pulls write nothing;
    /// and not by a principal the registry excludes from pull-time updates (asked only when a write is due, so the
    /// registry is not called on every pull).
    /// </summary>
    private async Task RecordPull(ImageEntry entry, CallerIdentity caller)
    {
        if (ImageRules.RecordPull(entry, clock.UtcNow) is { } pulled
            && !await GrainFactory.GetGrain<IRegistryGrain>(RegistryKey).ExcludesFromPullTime(caller.Principal))
        {
            await Save(Repository with { Images = Repository.Images.SetItem(pulled.ManifestDigest, pulled) });
        }
    }
}
