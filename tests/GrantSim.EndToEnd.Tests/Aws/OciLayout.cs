using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// A small image as an OCI image layout on disk, made here without any image tool: one gzip layer
/// of random bytes, a config, a manifest, index.json (tag <see cref="Tag"/>) and oci-layout.
/// </summary>
public sealed class OciLayout
{
    public const string Tag = "v1";

    private OciLayout(string directory, byte[] layer, string layerDigest, string manifestDigest)
    {
        Directory = directory;
        Layer = layer;
        LayerDigest = layerDigest;
        ManifestDigest = manifestDigest;
    }

    public string Directory { get; }

    /// <summary>The layer's bytes as stored (gzip).</summary>
    public byte[] Layer { get; }

    public string LayerDigest { get; }

    public string ManifestDigest { get; }

    public static OciLayout Write(string directory)
    {
        var blobs = System.IO.Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256")).FullName;
        string Put(byte[] content)
        {
            var hex = Convert.ToHexStringLower(SHA256.HashData(content));
            File.WriteAllBytes(Path.Combine(blobs, hex), content);
            return "sha256:" + hex;
        }

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(RandomNumberGenerator.GetBytes(4096));
        }

        var layer = compressed.ToArray();
        var layerDigest = Put(layer);
        var config = JsonSerializer.SerializeToUtf8Bytes(new { architecture = "amd64", os = "linux", rootfs = new { type = "layers", diff_ids = new[] { layerDigest } } });
        var configDigest = Put(config);
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = layerDigest, size = layer.Length } },
        }));
        var manifestDigest = Put(manifest);
        File.WriteAllText(Path.Combine(directory, "index.json"), JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new
                {
                    mediaType = "application/vnd.oci.image.manifest.v1+json",
                    digest = manifestDigest,
                    size = manifest.Length,
                    annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = Tag },
                },
            },
        }));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return new OciLayout(directory, layer, layerDigest, manifestDigest);
    }

    /// <summary>The digest of the manifest an OCI layout's index.json names.</summary>
    public static string ManifestDigestIn(string directory)
    {
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "index.json")));
        return index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
    }
}
