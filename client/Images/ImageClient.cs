using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Client.Images;

/// <summary>Pushes and pulls images the way an image client does: blobs first, then the manifest; on pull the manifest, then each blob.</summary>
public sealed class ImageClient(IGrainFactory grains)
{
    public async Task<PushedImage> PushAsync(CallerIdentity caller, string region, string repository, string tag, IReadOnlyList<byte[]> layers, byte[] config)
    {
        var ecr = grains.GetGrain<IEcrServiceGrain>(region);
        var blobs = new List<PushedBlob>();
        foreach (var content in layers.Append(config))
        {
            var descriptor = await ecr.UploadBlob(caller, repository, content, ContentDigest.Sha256(content));
            blobs.Add(new PushedBlob(descriptor.Digest, content));
        }

        var manifest = ImageManifests.BuildOci(
            blobs[^1].Digest, config.LongLength,
            blobs.Take(layers.Count).Select(b => (b.Digest, b.Content.LongLength)).ToArray());
        var image = await ecr.PutImage(caller, repository, manifest, MediaTypes.OciManifest, tag);
        return new PushedImage(tag, image.ImageDigest, manifest, blobs);
    }

    /// <summary>Pulls an image by digest and returns what differs from <paramref name="expected"/> (nothing, when the pull is byte-identical).</summary>
    public async Task<IReadOnlyList<string>> PullAndCompareAsync(CallerIdentity caller, string region, string repository, PushedImage expected)
    {
        var ecr = grains.GetGrain<IEcrServiceGrain>(region);
        var differences = new List<string>();
        var manifest = await ecr.GetImage(caller, repository, new ImageIdentifier(ImageDigest: expected.ManifestDigest));
        if (!manifest.Content.AsSpan().SequenceEqual(expected.Manifest))
        {
            differences.Add($"manifest {expected.ManifestDigest} differs");
        }

        foreach (var blob in expected.Blobs)
        {
            var content = await ecr.GetBlob(caller, repository, blob.Digest);
            if (!content.AsSpan().SequenceEqual(blob.Content))
            {
                differences.Add($"blob {blob.Digest} differs ({content.Length} bytes pulled, {blob.Content.Length} pushed)");
            }
        }

        return differences;
    }
}
