using GrantSim.Client.Images;
using GrantSim.Crypto;
using GrantSim.Ecr;

namespace GrantSim.Model.Tests.Runner;

/// <summary>The image of a push command: its bytes follow from its number alone, so a pull can be checked against them whatever ran before.</summary>
public static class Images
{
    public static (byte[] Layer, byte[] Config) Content(int pushId)
    {
        var layer = new byte[200 + pushId * 131 % 900];
        new Random(pushId * 7919 + 1).NextBytes(layer);
        var config = System.Text.Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"push\":{pushId}}}");
        return (layer, config);
    }

    public static string Tag(int pushId) => Model.ReferenceModel.Tag(pushId);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> Digests = new();

    /// <summary>The manifest digest of a push's image (computed once per push).</summary>
    public static string DigestOf(int pushId) => Digests.GetOrAdd(pushId, id => Expected(id).ManifestDigest);

    /// <summary>What a push of <paramref name="pushId"/> stores: the manifest an image client builds, and its blobs.</summary>
    public static PushedImage Expected(int pushId)
    {
        var (layer, config) = Content(pushId);
        var layerDigest = ContentDigest.Sha256(layer);
        var configDigest = ContentDigest.Sha256(config);
        var manifest = ImageManifests.BuildOci(configDigest, config.Length, [(layerDigest, layer.Length)]);
        return new PushedImage(Tag(pushId), ContentDigest.Sha256(manifest), manifest, [new PushedBlob(layerDigest, layer), new PushedBlob(configDigest, config)]);
    }
}
