using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.Client.Hosting;
using GrantSim.EndToEnd.Tests.Cluster;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// ECR lifecycle policies through the AWS CLI reading the current service model: put, get, delete, a preview
/// (and the CLI's waiter for it), then the policy's first evaluation after the simulated clock moves a day,
/// seen through describe-images.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EcrLifecyclePolicyCliTests(AwsSilo silo)
{
    private const int Tenant = 20;
    private const string Repository = "lifecycle-cli";

    private const string KeepNewest = """{"rules":[{"rulePriority":1,"description":"keep the newest image","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}""";

    [SkippableFact]
    public async Task APolicy_IsPutPreviewedAndDeleted_AndExpiresImagesOnceTheClockHasMovedADay()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };
        var work = Directory.CreateTempSubdirectory("grantsim-lifecycle-").FullName;
        try
        {
            await aws.JsonAsync("ecr", "create-repository", "--repository-name", Repository);
            var digests = new List<string>();
            foreach (var tag in new[] { "v1", "v2", "v3" })
            {
                digests.Add(await PushAsync(aws, work, tag));
            }

            var missing = await aws.RunAsync("ecr", "get-lifecycle-policy", "--repository-name", Repository);
            Assert.Equal(AwsCli.ServiceErrorExitCode, missing.ExitCode);
            Assert.Contains("(LifecyclePolicyNotFoundException)", missing.StandardError, StringComparison.Ordinal);
            var noPreview = await aws.RunAsync("ecr", "get-lifecycle-policy-preview", "--repository-name", Repository);
            Assert.Contains("(LifecyclePolicyPreviewNotFoundException)", noPreview.StandardError, StringComparison.Ordinal);

            var invalid = await aws.RunAsync("ecr", "put-lifecycle-policy", "--repository-name", Repository, "--lifecycle-policy-text", KeepNewest.Replace("\"expire\"", "\"delete\"", StringComparison.Ordinal));
            Assert.Equal(AwsCli.ServiceErrorExitCode, invalid.ExitCode);
            Assert.Contains("(InvalidParameterException)", invalid.StandardError, StringComparison.Ordinal);
            Assert.Contains("Lifecycle policy validation failure", invalid.StandardError, StringComparison.Ordinal);

            var put = await aws.JsonAsync("ecr", "put-lifecycle-policy", "--repository-name", Repository, "--lifecycle-policy-text", KeepNewest);
            Assert.Equal(Repository, put.GetProperty("repositoryName").GetString());
            Assert.Equal(AwsSilo.Tenant(Tenant).Account, put.GetProperty("registryId").GetString());
            Assert.Equal(KeepNewest, put.GetProperty("lifecyclePolicyText").GetString());
            var got = await aws.JsonAsync("ecr", "get-lifecycle-policy", "--repository-name", Repository);
            Assert.Equal(KeepNewest, got.GetProperty("lifecyclePolicyText").GetString());
            Assert.False(got.TryGetProperty("lastEvaluatedAt", out _));

            var started = await aws.JsonAsync("ecr", "start-lifecycle-policy-preview", "--repository-name", Repository);
            Assert.Equal("COMPLETE", started.GetProperty("status").GetString());
            var waited = await aws.RunAsync("ecr", "wait", "lifecycle-policy-preview-complete", "--repository-name", Repository);
            Assert.True(waited.ExitCode == 0, waited.Output);
            var preview = await aws.JsonAsync("ecr", "get-lifecycle-policy-preview", "--repository-name", Repository);
            Assert.Equal("COMPLETE", preview.GetProperty("status").GetString());
            Assert.Equal(2, preview.GetProperty("summary").GetProperty("expiringImageTotalCount").GetInt32());
            var results = preview.GetProperty("previewResults").EnumerateArray().ToArray();
            Assert.Equal(digests[..2], results.Select(r => r.GetProperty("imageDigest").GetString()!));
            Assert.All(results, r =>
            {
                Assert.Equal("EXPIRE", r.GetProperty("action").GetProperty("type").GetString());
                Assert.Equal(1, r.GetProperty("appliedRulePriority").GetInt32());
                Assert.Equal(JsonValueKind.String, r.GetProperty("imagePushedAt").ValueKind);
            });
            Assert.Equal(["v1"], results[0].GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()!));
            var filtered = await aws.JsonAsync("ecr", "get-lifecycle-policy-preview", "--repository-name", Repository, "--image-ids", "imageTag=v2");
            Assert.Equal([digests[1]], filtered.GetProperty("previewResults").EnumerateArray().Select(r => r.GetProperty("imageDigest").GetString()!));

            // The preview expired nothing; the policy itself runs a day after it was put.
            Assert.Equal(3, await ImageCountAsync(aws));
            await new ClusterClock(silo.Grains).AdvanceAsync(TimeSpan.FromDays(1));

            var remaining = (await aws.JsonAsync("ecr", "describe-images", "--repository-name", Repository)).GetProperty("imageDetails").EnumerateArray().Single();
            Assert.Equal(digests[2], remaining.GetProperty("imageDigest").GetString());
            Assert.Equal(["v3"], remaining.GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()!));
            var evaluated = await aws.JsonAsync("ecr", "get-lifecycle-policy", "--repository-name", Repository);
            Assert.Equal(JsonValueKind.String, evaluated.GetProperty("lastEvaluatedAt").ValueKind);
            var expiredPull = await aws.RunAsync("ecr", "batch-get-image", "--repository-name", Repository, "--image-ids", "imageTag=v1");
            Assert.Equal("ImageNotFound", expiredPull.Json.GetProperty("failures")[0].GetProperty("failureCode").GetString());

            var deleted = await aws.JsonAsync("ecr", "delete-lifecycle-policy", "--repository-name", Repository);
            Assert.Equal(KeepNewest, deleted.GetProperty("lifecyclePolicyText").GetString());
            var gone = await aws.RunAsync("ecr", "delete-lifecycle-policy", "--repository-name", Repository);
            Assert.Contains("(LifecyclePolicyNotFoundException)", gone.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            await aws.RunAsync("ecr", "delete-repository", "--repository-name", Repository, "--force");
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<int> ImageCountAsync(AwsCli aws) =>
        (await aws.JsonAsync("ecr", "describe-images", "--repository-name", Repository)).GetProperty("imageDetails").GetArrayLength();

    /// <summary>Uploads a layer and a config of the image's own and puts a manifest of them under the tag; returns its digest.</summary>
    private static async Task<string> PushAsync(AwsCli aws, string work, string tag)
    {
        var layer = RandomNumberGenerator.GetBytes(512);
        var config = Encoding.UTF8.GetBytes($"{{\"os\":\"linux\",\"tag\":\"{tag}\"}}");
        var layerDigest = await UploadAsync(aws, work, layer);
        var configDigest = await UploadAsync(aws, work, config);
        var manifest = JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", size = config.Length, digest = configDigest },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", size = layer.Length, digest = layerDigest } },
        });
        var put = await aws.JsonAsync("ecr", "put-image", "--repository-name", Repository, "--image-tag", tag, "--image-manifest", manifest);
        return put.GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString()!;
    }

    private static async Task<string> UploadAsync(AwsCli aws, string work, byte[] content)
    {
        var uploadId = (await aws.JsonAsync("ecr", "initiate-layer-upload", "--repository-name", Repository)).GetProperty("uploadId").GetString()!;
        var file = Path.Combine(work, $"part-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, content);
        await aws.JsonAsync("ecr", "upload-layer-part", "--repository-name", Repository, "--upload-id", uploadId,
            "--part-first-byte", "0", "--part-last-byte", (content.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--layer-part-blob", $"fileb://{file}");
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await aws.JsonAsync("ecr", "complete-layer-upload", "--repository-name", Repository, "--upload-id", uploadId, "--layer-digests", digest);
        return digest;
    }
}
