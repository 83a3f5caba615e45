using GrantSim.Client.Simulation;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Telemetry;

namespace GrantSim.Client.Images;

/// <summary>
/// Pushes and pulls images the way an image client does: blobs first, then the manifest; on pull
/// the manifest, then each blob. With an <see cref="AwsRetry"/>, each call is retried on its own,
/// as an SDK does (blob uploads are idempotent: a blob is named by its digest).
/// </summary>
public sealed class ImageClient(IGrainFactory grains, AwsRetry? retry = null)
{
    public async Task<PushedImage> PushAsync(CallerIdentity caller, string region, string repository, string tag, IReadOnlyList<byte[]> layers, byte[] config)
    {
        // One trace per push: the uploads, the manifest, and every KMS call they make are its spans.
        using var activity = StartImageSpan(PushImage, caller, region, repository);
        var ecr = grains.GetGrain<IEcrServiceGrain>(region);
        var blobs = new List<PushedBlob>();
        foreach (var content in layers.Append(config))
        {
            var descriptor = await Call(() => ecr.UploadBlob(caller, repository, content, ContentDigest.Sha256(content)));
            blobs.Add(new PushedBlob(descriptor.Digest, content));
        }

        var manifest = ImageManifests.BuildOci(
            blobs[^1].Digest, config.LongLength,
            blobs.Take(layers.Count).Select(b => (b.Digest, b.Content.LongLength)).ToArray());
        var image = await Call(() => ecr.PutImage(caller, repository, manifest, MediaTypes.OciManifest, tag));
        return new PushedImage(tag, image.ImageDigest, manifest, blobs);
    }

    /// <summary>The digest of the manifest <see cref="PushAsync"/> will put for these blobs: known before the push, as a client building the image knows it.</summary>
    public static string ManifestDigestOf(IReadOnlyList<byte[]> layers, byte[] config) =>
        ContentDigest.Sha256(ImageManifests.BuildOci(
            ContentDigest.Sha256(config), config.LongLength,
            layers.Select(l => (ContentDigest.Sha256(l), l.LongLength)).ToArray()));

    /// <summary>
    /// Pulls an image by digest and returns what differs from <paramref name="expected"/> (nothing, when the pull is byte-identical).
    /// <paramref name="registry"/>: the account whose registry holds the repository, when it may be another than the caller's.
    /// </summary>
    public async Task<IReadOnlyList<string>> PullAndCompareAsync(CallerIdentity caller, string region, string repository, PushedImage expected, string? registry = null)
    {
        using var activity = StartImageSpan(PullImage, caller, region, repository);
        var ecr = registry is null || registry == caller.Account
            ? grains.GetGrain<IEcrServiceGrain>(region)
            : grains.GetGrain<IEcrServiceGrain>(GrainKeys.EcrRegistry(registry, region));
        var differences = new List<string>();
        var manifest = await Call(() => ecr.GetImage(caller, repository, new ImageIdentifier(ImageDigest: expected.ManifestDigest)));
        if (!manifest.Content.AsSpan().SequenceEqual(expected.Manifest))
        {
            differences.Add($"manifest {expected.ManifestDigest} differs");
        }

        foreach (var blob in expected.Blobs)
        {
            var content = (await Call(() => ecr.GetBlob(caller, repository, blob.Digest))).Value;
            // As an image client does: the pulled bytes must hash to the digest they were asked for by.
            if (ContentDigest.Sha256(content) != blob.Digest)
            {
                differences.Add($"blob {blob.Digest} pulled with digest {ContentDigest.Sha256(content)}");
            }
            else if (!content.AsSpan().SequenceEqual(blob.Content))
            {
                differences.Add($"blob {blob.Digest} differs ({content.Length} bytes pulled, {blob.Content.Length} pushed)");
            }
        }

        return differences;
    }

    public const string PushImage = "PushImage";

    public const string PullImage = "PullImage";

    private Task<T> Call<T>(Func<Task<T>> call) => retry is null ? call() : retry.RunAsync(call);

    private static System.Diagnostics.Activity? StartImageSpan(string operation, CallerIdentity caller, string region, string repository)
    {
        var activity = GrantSimTelemetry.Source.StartActivity($"{GrantSimTelemetry.Name}/{operation}");
        activity?.SetTag(TelemetryTags.Tenant, caller.Account);
        activity?.SetTag(TelemetryTags.Region, region);
        activity?.SetTag(TelemetryTags.Repository, repository);
        return activity;
    }
}
