using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// A two-architecture image as an OCI image layout, made here without any image tool (as <see cref="OciLayout"/>):
/// for linux/amd64 and linux/arm64 a gzip layer of random bytes (of different sizes), a config and a manifest; an
/// OCI image index naming both; index.json naming the index under <see cref="Tag"/>.
/// </summary>
public sealed record OciIndexLayout(string Directory, string IndexDigest, IReadOnlyList<string> ManifestDigests, IReadOnlyList<long> LayerSizes)
{
    public const string Tag = "v1";

    public static OciIndexLayout Write(string directory)
    {
        var blobs = System.IO.Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256")).FullName;
        (string Digest, int Size) Put(byte[] content)
        {
            var hex = Convert.ToHexStringLower(SHA256.HashData(content));
            File.WriteAllBytes(Path.Combine(blobs, hex), content);
            return ("sha256:" + hex, content.Length);
        }

        var manifests = new List<(string Architecture, string Digest, int Size)>();
        var layerSizes = new List<long>();
        foreach (var (architecture, randomBytes) in new[] { ("amd64", 6000), ("arm64", 3000) })
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(RandomNumberGenerator.GetBytes(randomBytes));
            }

            var layer = Put(compressed.ToArray());
            layerSizes.Add(layer.Size);
            var config = Put(JsonSerializer.SerializeToUtf8Bytes(new { architecture, os = "linux", rootfs = new { type = "layers", diff_ids = new[] { layer.Digest } } }));
            var manifest = Put(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
            {
                schemaVersion = 2,
                mediaType = "application/vnd.oci.image.manifest.v1+json",
                config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = config.Digest, size = config.Size },
                layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = layer.Digest, size = layer.Size } },
            })));
            manifests.Add((architecture, manifest.Digest, manifest.Size));
        }

        var index = Put(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.index.v1+json",
            manifests = manifests.Select(m => new
            {
                mediaType = "application/vnd.oci.image.manifest.v1+json",
                digest = m.Digest,
                size = m.Size,
                platform = new { architecture = m.Architecture, os = "linux" },
            }).ToArray(),
        })));
        File.WriteAllText(Path.Combine(directory, "index.json"), JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new
                {
                    mediaType = "application/vnd.oci.image.index.v1+json",
                    digest = index.Digest,
                    size = index.Size,
                    annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = Tag },
                },
            },
        }));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return new OciIndexLayout(directory, index.Digest, manifests.Select(m => m.Digest).ToArray(), layerSizes);
    }
}
