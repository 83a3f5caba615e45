using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.Client.Hosting;
using GrantSim.EndToEnd.Tests.Cluster;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// The last eight ECR operations through the AWS CLI reading the current service model: account settings, a managed-signing
/// configuration and an image's signing status (never a signature: GrantSim simulates no signer), an OCI 1.1 referrer and
/// list-image-referrers, and archiving a KMS-encrypted image (not pullable) then restoring it on the simulated clock.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EcrArchiveSigningReferrersCliTests(AwsSilo silo)
{
    private const int Tenant = 24;
    private const string Repository = "prod/signed-app";

    [SkippableFact]
    public async Task TheLastEightOperations_AreServedAsTheCliCallsThem()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };
        var account = AwsSilo.Tenant(Tenant).Account;
        var work = Directory.CreateTempSubdirectory("grantsim-archive-").FullName;
        try
        {
            // Account settings: defaults before any put; an unknown value is refused and changes nothing.
            var mounting = await aws.JsonAsync("ecr", "get-account-setting", "--name", "BLOB_MOUNTING");
            Assert.Equal("DISABLED", mounting.GetProperty("value").GetString());
            Assert.Equal("ENABLED", (await aws.JsonAsync("ecr", "put-account-setting", "--name", "BLOB_MOUNTING", "--value", "ENABLED")).GetProperty("value").GetString());
            var refused = await aws.RunAsync("ecr", "put-account-setting", "--name", "BLOB_MOUNTING", "--value", "SOMETIMES");
            Assert.Equal(AwsCli.ServiceErrorExitCode, refused.ExitCode);
            Assert.Contains("(InvalidParameterException)", refused.StandardError, StringComparison.Ordinal);
            Assert.Equal("ENABLED", (await aws.JsonAsync("ecr", "get-account-setting", "--name", "BLOB_MOUNTING")).GetProperty("value").GetString());
            Assert.Equal("V1", (await aws.JsonAsync("ecr", "get-account-setting", "--name", "REGISTRY_POLICY_SCOPE")).GetProperty("value").GetString());

            await aws.JsonAsync("ecr", "create-repository", "--repository-name", Repository, "--encryption-configuration", "encryptionType=KMS");
            var subject = await PushAsync(aws, work);

            // Managed signing: no configuration, then one whose rule matches this repository.
            var none = await aws.RunAsync("ecr", "get-signing-configuration");
            Assert.Contains("(SigningConfigurationNotFoundException)", none.StandardError, StringComparison.Ordinal);
            Assert.Equal(0, (await aws.JsonAsync("ecr", "describe-image-signing-status", "--repository-name", Repository, "--image-id", "imageTag=v1"))
                .GetProperty("signingStatuses").GetArrayLength());
            var profile = $"arn:aws:signer:us-east-1:{account}:/signing-profiles/release_signer";
            var configuration = JsonSerializer.Serialize(new { rules = new[] { new { signingProfileArn = profile, repositoryFilters = new[] { new { filter = "prod/*", filterType = "WILDCARD_MATCH" } } } } });
            await aws.JsonAsync("ecr", "put-signing-configuration", "--signing-configuration", configuration);
            var got = await aws.JsonAsync("ecr", "get-signing-configuration");
            Assert.Equal(account, got.GetProperty("registryId").GetString());
            Assert.Equal(profile, got.GetProperty("signingConfiguration").GetProperty("rules")[0].GetProperty("signingProfileArn").GetString());
            var status = (await aws.JsonAsync("ecr", "describe-image-signing-status", "--repository-name", Repository, "--image-id", "imageTag=v1"))
                .GetProperty("signingStatuses").EnumerateArray().Single();
            Assert.Equal("FAILED", status.GetProperty("status").GetString());
            Assert.Equal("SignerNotSimulated", status.GetProperty("failureCode").GetString());
            await aws.JsonAsync("ecr", "delete-signing-configuration");
            Assert.Contains("(SigningConfigurationNotFoundException)", (await aws.RunAsync("ecr", "delete-signing-configuration")).StandardError, StringComparison.Ordinal);

            // A referrer: a manifest whose subject is the image.
            var emptyDigest = await UploadAsync(aws, work, "{}"u8.ToArray());
            var sbom = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["artifactType"] = "application/spdx+json",
                ["config"] = new { mediaType = "application/vnd.oci.empty.v1+json", digest = emptyDigest, size = 2 },
                ["layers"] = new[] { new { mediaType = "application/vnd.oci.empty.v1+json", digest = emptyDigest, size = 2 } },
                ["subject"] = new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = subject.Digest, size = subject.Size },
                ["annotations"] = new Dictionary<string, string> { ["kind"] = "sbom" },
            });
            var sbomDigest = (await aws.JsonAsync("ecr", "put-image", "--repository-name", Repository, "--image-manifest", sbom))
                .GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString();
            var referrers = await aws.JsonAsync("ecr", "list-image-referrers", "--repository-name", Repository, "--subject-id", $"imageDigest={subject.Digest}");
            var referrer = referrers.GetProperty("referrers").EnumerateArray().Single();
            Assert.Equal(sbomDigest, referrer.GetProperty("digest").GetString());
            Assert.Equal("application/spdx+json", referrer.GetProperty("artifactType").GetString());
            Assert.Equal(Encoding.UTF8.GetByteCount(sbom), referrer.GetProperty("size").GetInt64());
            Assert.Equal("sbom", referrer.GetProperty("annotations").GetProperty("kind").GetString());
            Assert.Equal("ACTIVE", referrer.GetProperty("artifactStatus").GetString());
            var described = (await aws.JsonAsync("ecr", "describe-images", "--repository-name", Repository, "--image-ids", $"imageDigest={sbomDigest}")).GetProperty("imageDetails")[0];
            Assert.Equal(subject.Digest, described.GetProperty("subjectManifestDigest").GetString());

            // Archive: described as ARCHIVED, not pullable; a restore is ACTIVATING until the clock has moved, then pulls again (decrypted through the grant).
            var archived = await aws.JsonAsync("ecr", "update-image-storage-class", "--repository-name", Repository, "--image-id", "imageTag=v1", "--target-storage-class", "ARCHIVE");
            Assert.Equal("ARCHIVED", archived.GetProperty("imageStatus").GetString());
            Assert.Equal("ARCHIVED", (await ImageAsync(aws)).GetProperty("imageStatus").GetString());
            var pull = await aws.JsonAsync("ecr", "batch-get-image", "--repository-name", Repository, "--image-ids", "imageTag=v1");
            Assert.Equal("ImageNotFound", pull.GetProperty("failures")[0].GetProperty("failureCode").GetString());
            Assert.Equal(0, pull.GetProperty("images").GetArrayLength());
            var bad = await aws.RunAsync("ecr", "update-image-storage-class", "--repository-name", Repository, "--image-id", "imageTag=v1", "--target-storage-class", "GLACIER");
            Assert.Equal(AwsCli.ServiceErrorExitCode, bad.ExitCode);

            var restoring = await aws.JsonAsync("ecr", "update-image-storage-class", "--repository-name", Repository, "--image-id", "imageTag=v1", "--target-storage-class", "STANDARD");
            Assert.Equal("ACTIVATING", restoring.GetProperty("imageStatus").GetString());
            Assert.Contains("(ImageStorageClassUpdateNotSupportedException)",
                (await aws.RunAsync("ecr", "update-image-storage-class", "--repository-name", Repository, "--image-id", "imageTag=v1", "--target-storage-class", "ARCHIVE")).StandardError, StringComparison.Ordinal);
            await new ClusterClock(silo.Grains).AdvanceAsync(TimeSpan.FromMinutes(20));
            var active = await ImageAsync(aws);
            Assert.Equal("ACTIVE", active.GetProperty("imageStatus").GetString());
            Assert.Equal(JsonValueKind.String, active.GetProperty("lastActivatedAt").ValueKind);
            var pulled = await aws.JsonAsync("ecr", "batch-get-image", "--repository-name", Repository, "--image-ids", "imageTag=v1");
            Assert.Equal(subject.Digest, pulled.GetProperty("images")[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
        }
        finally
        {
            await aws.RunAsync("ecr", "delete-repository", "--repository-name", Repository, "--force");
            await aws.RunAsync("ecr", "delete-signing-configuration");
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<JsonElement> ImageAsync(AwsCli aws) =>
        (await aws.JsonAsync("ecr", "describe-images", "--repository-name", Repository, "--image-ids", "imageTag=v1")).GetProperty("imageDetails")[0];

    /// <summary>Uploads a layer and a config and puts a manifest of them under v1; returns its digest and size.</summary>
    private static async Task<(string Digest, int Size)> PushAsync(AwsCli aws, string work)
    {
        var layer = RandomNumberGenerator.GetBytes(512);
        var config = "{\"os\":\"linux\"}"u8.ToArray();
        var layerDigest = await UploadAsync(aws, work, layer);
        var configDigest = await UploadAsync(aws, work, config);
        var manifest = JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", size = config.Length, digest = configDigest },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", size = layer.Length, digest = layerDigest } },
        });
        var put = await aws.JsonAsync("ecr", "put-image", "--repository-name", Repository, "--image-tag", "v1", "--image-manifest", manifest);
        return (put.GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString()!, Encoding.UTF8.GetByteCount(manifest));
    }

    private static async Task<string> UploadAsync(AwsCli aws, string work, byte[] content)
    {
        var uploadId = (await aws.JsonAsync("ecr", "initiate-layer-upload", "--repository-name", Repository)).GetProperty("uploadId").GetString()!;
        var file = Path.Combine(work, $"part-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, content);
        await aws.JsonAsync("ecr", "upload-layer-part", "--repository-name", Repository, "--upload-id", uploadId,
            "--part-first-byte", "0", "--part-last-byte", (content.Length - 1).ToString(CultureInfo.InvariantCulture), "--layer-part-blob", $"fileb://{file}");
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await aws.JsonAsync("ecr", "complete-layer-upload", "--repository-name", Repository, "--upload-id", uploadId, "--layer-digests", digest);
        return digest;
    }
}
