using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.Grains;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// The registry's settings and replication through the unmodified AWS CLI (with the current models): registry policy,
/// replication configuration, creation templates, and a push replicated to another Region and to another account.
/// Replication is asynchronous: each test waits for the source repository's outbox to drain (the replication worker's
/// Drain, through the silo's cluster client), then reads the outcome through the CLI.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReplicationCliTests(AwsSilo silo)
{
    private const int Tenant = 22;
    private const int OtherTenant = 23;

    [SkippableFact]
    public async Task APushInUsEast1_IsReplicatedToUsWest2_IntoARepositoryMadeFromTheTemplate_UnderThatRegionsOwnAwsEcrKey()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var east = new AwsCli(silo, Tenant) { CurrentModels = true };
        var west = new AwsCli(silo, Tenant, "us-west-2") { CurrentModels = true };
        var (account, _, _) = AwsSilo.Tenant(Tenant);

        Assert.Empty((await east.JsonAsync("ecr", "describe-registry")).GetProperty("replicationConfiguration").GetProperty("rules").EnumerateArray());

        // A template in the destination Region: KMS with no key named, so that Region's aws/ecr key.
        var created = await west.JsonAsync("ecr", "create-repository-creation-template", "--prefix", "rep22", "--applied-for", "REPLICATION",
            "--encryption-configuration", "encryptionType=KMS", "--description", "replicas");
        Assert.Equal("rep22", created.GetProperty("repositoryCreationTemplate").GetProperty("prefix").GetString());
        var again = await west.RunAsync("ecr", "create-repository-creation-template", "--prefix", "rep22/", "--applied-for", "REPLICATION");
        Assert.Contains("(TemplateAlreadyExistsException)", again.StandardError, StringComparison.Ordinal);
        await west.JsonAsync("ecr", "update-repository-creation-template", "--prefix", "rep22", "--description", "replicas of rep22/");
        var templates = (await west.JsonAsync("ecr", "describe-repository-creation-templates")).GetProperty("repositoryCreationTemplates").EnumerateArray().ToArray();
        var template = Assert.Single(templates);
        Assert.Equal("replicas of rep22/", template.GetProperty("description").GetString());
        Assert.Equal("KMS", template.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString());
        Assert.Equal(["REPLICATION"], template.GetProperty("appliedFor").EnumerateArray().Select(a => a.GetString()));

        var configuration = $$"""{"rules":[{"destinations":[{"region":"us-west-2","registryId":"{{account}}"}],"repositoryFilters":[{"filter":"rep22","filterType":"PREFIX_MATCH"}]}]}""";
        await east.JsonAsync("ecr", "put-replication-configuration", "--replication-configuration", configuration);
        var rule = (await east.JsonAsync("ecr", "describe-registry")).GetProperty("replicationConfiguration").GetProperty("rules")[0];
        Assert.Equal("us-west-2", rule.GetProperty("destinations")[0].GetProperty("region").GetString());
        Assert.Equal("rep22", rule.GetProperty("repositoryFilters")[0].GetProperty("filter").GetString());

        await east.JsonAsync("ecr", "create-repository", "--repository-name", "rep22/app", "--encryption-configuration", "encryptionType=KMS");
        var (digest, manifest) = await PushAsync(east, "rep22/app", "v1");
        await DrainAsync(account, "us-east-1", "rep22/app");

        var status = await east.JsonAsync("ecr", "describe-image-replication-status", "--repository-name", "rep22/app", "--image-id", "imageTag=v1");
        Assert.Equal(digest, status.GetProperty("imageId").GetProperty("imageDigest").GetString());
        var replication = Assert.Single(status.GetProperty("replicationStatuses").EnumerateArray().ToArray());
        Assert.Equal(("us-west-2", account, "COMPLETE"),
            (replication.GetProperty("region").GetString(), replication.GetProperty("registryId").GetString(), replication.GetProperty("status").GetString()));

        var fetched = await west.JsonAsync("ecr", "batch-get-image", "--repository-name", "rep22/app", "--image-ids", "imageTag=v1");
        Assert.Equal(manifest, fetched.GetProperty("images")[0].GetProperty("imageManifest").GetString());
        var replica = (await west.JsonAsync("ecr", "describe-repositories", "--repository-names", "rep22/app")).GetProperty("repositories")[0];
        var encryption = replica.GetProperty("encryptionConfiguration");
        Assert.Equal("KMS", encryption.GetProperty("encryptionType").GetString());
        var westKey = encryption.GetProperty("kmsKey").GetString()!;
        Assert.StartsWith($"arn:aws:kms:us-west-2:{account}:key/", westKey, StringComparison.Ordinal);
        var aliases = (await west.JsonAsync("kms", "list-aliases")).GetProperty("Aliases").EnumerateArray();
        Assert.Contains(aliases, a => a.GetProperty("AliasName").GetString() == "alias/aws/ecr" && westKey.EndsWith(a.GetProperty("TargetKeyId").GetString()!, StringComparison.Ordinal));

        await west.JsonAsync("ecr", "delete-repository-creation-template", "--prefix", "rep22");
        Assert.Empty((await west.JsonAsync("ecr", "describe-repository-creation-templates")).GetProperty("repositoryCreationTemplates").EnumerateArray());
        var gone = await west.RunAsync("ecr", "delete-repository-creation-template", "--prefix", "rep22");
        Assert.Contains("(TemplateNotFoundException)", gone.StandardError, StringComparison.Ordinal);
        var cache = await east.RunAsync("ecr", "create-pull-through-cache-rule", "--ecr-repository-prefix", "hub22", "--upstream-registry-url", "public.ecr.aws");
        Assert.Equal(AwsCli.ServiceErrorExitCode, cache.ExitCode);
        Assert.Contains("(UnsupportedUpstreamRegistryException)", cache.StandardError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CrossAccount_ReplicatesWhileTheDestinationsRegistryPolicyAllows_AndFailsOnceItIsDeleted()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var source = new AwsCli(silo, Tenant, "eu-west-1") { CurrentModels = true };
        var destination = new AwsCli(silo, OtherTenant, "us-west-2") { CurrentModels = true };
        var (sourceAccount, _, _) = AwsSilo.Tenant(Tenant);
        var (destinationAccount, _, _) = AwsSilo.Tenant(OtherTenant);

        var missing = await destination.RunAsync("ecr", "get-registry-policy");
        Assert.Contains("(RegistryPolicyNotFoundException)", missing.StandardError, StringComparison.Ordinal);
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"ReplicationAccessCrossAccount","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{sourceAccount}}:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-west-2:{{destinationAccount}}:repository/*"}]}""";
        var put = await destination.JsonAsync("ecr", "put-registry-policy", "--policy-text", policy);
        Assert.Equal(destinationAccount, put.GetProperty("registryId").GetString());
        Assert.Equal(policy, (await destination.JsonAsync("ecr", "get-registry-policy")).GetProperty("policyText").GetString());
        var refused = await destination.RunAsync("ecr", "put-registry-policy", "--policy-text", policy.Replace("ecr:CreateRepository", "ecr:DeleteRepository", StringComparison.Ordinal));
        Assert.Contains("(InvalidParameterException)", refused.StandardError, StringComparison.Ordinal);

        await source.JsonAsync("ecr", "put-replication-configuration", "--replication-configuration",
            $$"""{"rules":[{"destinations":[{"region":"us-west-2","registryId":"{{destinationAccount}}"}],"repositoryFilters":[{"filter":"xacct22","filterType":"PREFIX_MATCH"}]}]}""");
        await source.JsonAsync("ecr", "create-repository", "--repository-name", "xacct22/shared");
        var (_, manifest) = await PushAsync(source, "xacct22/shared", "v1");
        await DrainAsync(sourceAccount, "eu-west-1", "xacct22/shared");
        Assert.Equal("COMPLETE", (await StatusAsync(source, "xacct22/shared", "v1")).GetProperty("status").GetString());
        var fetched = await destination.JsonAsync("ecr", "batch-get-image", "--repository-name", "xacct22/shared", "--image-ids", "imageTag=v1");
        Assert.Equal(manifest, fetched.GetProperty("images")[0].GetProperty("imageManifest").GetString());
        Assert.Equal(destinationAccount, fetched.GetProperty("images")[0].GetProperty("registryId").GetString());

        Assert.Equal(policy, (await destination.JsonAsync("ecr", "delete-registry-policy")).GetProperty("policyText").GetString());
        await PushAsync(source, "xacct22/shared", "v2");
        await DrainAsync(sourceAccount, "eu-west-1", "xacct22/shared");
        var failed = await StatusAsync(source, "xacct22/shared", "v2");
        Assert.Equal(("FAILED", "AccessDeniedException"), (failed.GetProperty("status").GetString(), failed.GetProperty("failureCode").GetString()));
        var notThere = await destination.RunAsync("ecr", "batch-get-image", "--repository-name", "xacct22/shared", "--image-ids", "imageTag=v2");
        Assert.Equal("ImageNotFound", notThere.Json.GetProperty("failures")[0].GetProperty("failureCode").GetString());
    }

    private static async Task<JsonElement> StatusAsync(AwsCli aws, string repository, string tag) =>
        Assert.Single((await aws.JsonAsync("ecr", "describe-image-replication-status", "--repository-name", repository, "--image-id", $"imageTag={tag}"))
            .GetProperty("replicationStatuses").EnumerateArray().ToArray());

    /// <summary>The explicit signal replication gives: the source repository's outbox drained (nothing in progress).</summary>
    private async Task DrainAsync(string account, string region, string repository) =>
        Assert.Equal(0, await silo.Grains.GetGrain<IReplicationWorkerGrain>(GrainKeys.Repository(account, region, repository)).Drain());

    /// <summary>Pushes one image (a layer and a config, each in one part) as a Docker client does through ECR's API.</summary>
    private static async Task<(string Digest, string Manifest)> PushAsync(AwsCli aws, string repository, string tag)
    {
        var work = Directory.CreateTempSubdirectory("grantsim-replication-").FullName;
        try
        {
            var layer = RandomNumberGenerator.GetBytes(2000);
            var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"{tag}\"}}");
            var layerDigest = await UploadAsync(aws, work, repository, layer);
            var configDigest = await UploadAsync(aws, work, repository, config);
            var manifest = JsonSerializer.Serialize(new
            {
                schemaVersion = 2,
                mediaType = "application/vnd.docker.distribution.manifest.v2+json",
                config = new { mediaType = "application/vnd.docker.container.image.v1+json", size = config.Length, digest = configDigest },
                layers = new[] { new { mediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip", size = layer.Length, digest = layerDigest } },
            });
            var put = await aws.JsonAsync("ecr", "put-image", "--repository-name", repository, "--image-tag", tag, "--image-manifest", manifest);
            return (put.GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString()!, manifest);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> UploadAsync(AwsCli aws, string work, string repository, byte[] content)
    {
        var uploadId = (await aws.JsonAsync("ecr", "initiate-layer-upload", "--repository-name", repository)).GetProperty("uploadId").GetString()!;
        var file = Path.Combine(work, $"part-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, content);
        await aws.JsonAsync("ecr", "upload-layer-part", "--repository-name", repository, "--upload-id", uploadId,
            "--part-first-byte", "0", "--part-last-byte", (content.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--layer-part-blob", $"fileb://{file}");
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await aws.JsonAsync("ecr", "complete-layer-upload", "--repository-name", repository, "--upload-id", uploadId, "--layer-digests", digest);
        return digest;
    }
}
