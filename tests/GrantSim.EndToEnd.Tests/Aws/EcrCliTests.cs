using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>ECR's image and layer operations through the AWS CLI: the push a Docker client makes, in JSON 1.1 calls.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class EcrCliTests(AwsSilo silo)
{
    private const int Tenant = 8;

    [SkippableFact]
    public async Task LayersUploadedInParts_ThenPutImage_AreListedFetchedAndDeleted()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant);
        var work = Directory.CreateTempSubdirectory("grantsim-ecr-").FullName;
        try
        {
            await aws.JsonAsync("ecr", "create-repository", "--repository-name", "parts", "--encryption-configuration", "encryptionType=KMS");

            var layer = RandomNumberGenerator.GetBytes(3000);
            var layerDigest = await UploadInPartsAsync(aws, work, "parts", layer, partSize: 1024);
            var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
            var configDigest = await UploadInPartsAsync(aws, work, "parts", config, partSize: 4096);

            var availability = await aws.JsonAsync("ecr", "batch-check-layer-availability", "--repository-name", "parts", "--layer-digests", layerDigest, "sha256:" + new string('0', 64));
            Assert.Equal(layer.Length, availability.GetProperty("layers")[0].GetProperty("layerSize").GetInt64());
            Assert.Equal("AVAILABLE", availability.GetProperty("layers")[0].GetProperty("layerAvailability").GetString());
            Assert.Equal("MissingLayerDigest", availability.GetProperty("failures")[0].GetProperty("failureCode").GetString());

            var manifest = JsonSerializer.Serialize(new
            {
                schemaVersion = 2,
                mediaType = "application/vnd.docker.distribution.manifest.v2+json",
                config = new { mediaType = "application/vnd.docker.container.image.v1+json", size = config.Length, digest = configDigest },
                layers = new[] { new { mediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip", size = layer.Length, digest = layerDigest } },
            });
            var put = await aws.JsonAsync("ecr", "put-image", "--repository-name", "parts", "--image-tag", "v1", "--image-manifest", manifest);
            var imageDigest = put.GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString()!;
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest))), imageDigest);

            var listed = (await aws.JsonAsync("ecr", "list-images", "--repository-name", "parts")).GetProperty("imageIds").EnumerateArray().Single();
            Assert.Equal((imageDigest, "v1"), (listed.GetProperty("imageDigest").GetString(), listed.GetProperty("imageTag").GetString()));
            var described = (await aws.JsonAsync("ecr", "describe-images", "--repository-name", "parts", "--image-ids", "imageTag=v1")).GetProperty("imageDetails")[0];
            Assert.Equal(["v1"], described.GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()!));
            Assert.Equal(JsonValueKind.String, described.GetProperty("imagePushedAt").ValueKind); // the CLI prints the epoch number as a date

            var fetched = await aws.JsonAsync("ecr", "batch-get-image", "--repository-name", "parts", "--image-ids", "imageTag=v1", "imageTag=missing");
            Assert.Equal(manifest, fetched.GetProperty("images")[0].GetProperty("imageManifest").GetString());
            Assert.Equal("ImageNotFound", fetched.GetProperty("failures")[0].GetProperty("failureCode").GetString());

            var notEmpty = await aws.RunAsync("ecr", "delete-repository", "--repository-name", "parts");
            Assert.Equal(AwsCli.ServiceErrorExitCode, notEmpty.ExitCode);
            Assert.Contains("(RepositoryNotEmptyException)", notEmpty.StandardError, StringComparison.Ordinal);

            var deleted = await aws.JsonAsync("ecr", "batch-delete-image", "--repository-name", "parts", "--image-ids", $"imageDigest={imageDigest}");
            Assert.Equal(imageDigest, deleted.GetProperty("imageIds")[0].GetProperty("imageDigest").GetString());
            Assert.Empty((await aws.JsonAsync("ecr", "list-images", "--repository-name", "parts")).GetProperty("imageIds").EnumerateArray());
            await aws.JsonAsync("ecr", "delete-repository", "--repository-name", "parts", "--force");

            var token = (await aws.JsonAsync("ecr", "get-authorization-token")).GetProperty("authorizationData")[0];
            Assert.StartsWith("AWS:GSR1.", Encoding.UTF8.GetString(Convert.FromBase64String(token.GetProperty("authorizationToken").GetString()!)), StringComparison.Ordinal);
            Assert.Equal(silo.Endpoint, token.GetProperty("proxyEndpoint").GetString());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [SkippableFact]
    public async Task APartOutOfOrder_IsRefused_AndAWrongDigestFailsTheCompletion()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant);
        var work = Directory.CreateTempSubdirectory("grantsim-ecr-").FullName;
        try
        {
            await aws.JsonAsync("ecr", "create-repository", "--repository-name", "parts-bad");
            var uploadId = (await aws.JsonAsync("ecr", "initiate-layer-upload", "--repository-name", "parts-bad")).GetProperty("uploadId").GetString()!;
            var part = Path.Combine(work, "part");
            await File.WriteAllBytesAsync(part, [1, 2, 3]);

            var outOfOrder = await aws.RunAsync("ecr", "upload-layer-part", "--repository-name", "parts-bad", "--upload-id", uploadId,
                "--part-first-byte", "10", "--part-last-byte", "12", "--layer-part-blob", $"fileb://{part}");
            Assert.Contains("(InvalidLayerPartException)", outOfOrder.StandardError, StringComparison.Ordinal);

            await aws.JsonAsync("ecr", "upload-layer-part", "--repository-name", "parts-bad", "--upload-id", uploadId,
                "--part-first-byte", "0", "--part-last-byte", "2", "--layer-part-blob", $"fileb://{part}");
            var wrongDigest = await aws.RunAsync("ecr", "complete-layer-upload", "--repository-name", "parts-bad", "--upload-id", uploadId,
                "--layer-digests", "sha256:" + new string('a', 64));
            Assert.Equal(AwsCli.ServiceErrorExitCode, wrongDigest.ExitCode);
            Assert.Contains("(InvalidLayerException)", wrongDigest.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> UploadInPartsAsync(AwsCli aws, string work, string repository, byte[] content, int partSize)
    {
        var uploadId = (await aws.JsonAsync("ecr", "initiate-layer-upload", "--repository-name", repository)).GetProperty("uploadId").GetString()!;
        for (var first = 0; first < content.Length; first += partSize)
        {
            var part = content.AsSpan(first, Math.Min(partSize, content.Length - first)).ToArray();
            var file = Path.Combine(work, $"part-{Guid.NewGuid():N}");
            await File.WriteAllBytesAsync(file, part);
            var received = await aws.JsonAsync("ecr", "upload-layer-part", "--repository-name", repository, "--upload-id", uploadId,
                "--part-first-byte", first.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--part-last-byte", (first + part.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--layer-part-blob", $"fileb://{file}");
            Assert.Equal(first + part.Length - 1, received.GetProperty("lastByteReceived").GetInt64());
        }

        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        var completed = await aws.JsonAsync("ecr", "complete-layer-upload", "--repository-name", repository, "--upload-id", uploadId, "--layer-digests", digest);
        Assert.Equal(digest, completed.GetProperty("layerDigest").GetString());
        return digest;
    }
}
