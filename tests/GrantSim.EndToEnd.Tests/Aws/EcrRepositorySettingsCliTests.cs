using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// Repository settings as Terraform's aws_ecr_repository and the AWS CLI set them: tags, tag mutability with
/// exclusion filters, scanning configuration; and an immutable tag refused through the CLI and the registry.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EcrRepositorySettingsCliTests(AwsSilo silo)
{
    private const int Tenant = 17;

    [SkippableFact]
    public async Task PullTimeUpdateExclusions_RegisterListDeregister_ThroughTheCli()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };
        var scanner = $"arn:aws:iam::{AwsSilo.Tenant(Tenant).Account}:role/settings-scanner";

        var registered = await aws.JsonAsync("ecr", "register-pull-time-update-exclusion", "--principal-arn", scanner);
        Assert.Equal(scanner, registered.GetProperty("principalArn").GetString());
        Assert.True(registered.TryGetProperty("createdAt", out _));
        var listed = await aws.JsonAsync("ecr", "list-pull-time-update-exclusions");
        Assert.Contains(scanner, listed.GetProperty("pullTimeUpdateExclusions").EnumerateArray().Select(e => e.GetString()));

        var twice = await aws.RunAsync("ecr", "register-pull-time-update-exclusion", "--principal-arn", scanner);
        Assert.Equal(AwsCli.ServiceErrorExitCode, twice.ExitCode);
        Assert.Contains("(ExclusionAlreadyExistsException)", twice.StandardError, StringComparison.Ordinal);
        var notARole = await aws.RunAsync("ecr", "register-pull-time-update-exclusion", "--principal-arn", "arn:aws:s3:::bucket");
        Assert.Equal(AwsCli.ServiceErrorExitCode, notARole.ExitCode);
        Assert.Contains("(ValidationException)", notARole.StandardError, StringComparison.Ordinal);

        Assert.Equal(scanner, (await aws.JsonAsync("ecr", "deregister-pull-time-update-exclusion", "--principal-arn", scanner)).GetProperty("principalArn").GetString());
        var gone = await aws.RunAsync("ecr", "deregister-pull-time-update-exclusion", "--principal-arn", scanner);
        Assert.Equal(AwsCli.ServiceErrorExitCode, gone.ExitCode);
        Assert.Contains("(ExclusionNotFoundException)", gone.StandardError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task CreateWithSettings_Tags_Mutability_AndScanningConfiguration_ThroughTheCli()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };

        var created = (await aws.JsonAsync("ecr", "create-repository", "--repository-name", "settings/app",
            "--tags", "Key=team,Value=build", "Key=env,Value=dev",
            "--image-tag-mutability", "IMMUTABLE_WITH_EXCLUSION",
            "--image-tag-mutability-exclusion-filters", "filterType=WILDCARD,filter=latest", "filterType=WILDCARD,filter=dev-*",
            "--image-scanning-configuration", "scanOnPush=true")).GetProperty("repository");
        Assert.Equal("IMMUTABLE_WITH_EXCLUSION", created.GetProperty("imageTagMutability").GetString());
        Assert.Equal(["latest", "dev-*"], created.GetProperty("imageTagMutabilityExclusionFilters").EnumerateArray().Select(f => f.GetProperty("filter").GetString()!));
        Assert.True(created.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        var arn = created.GetProperty("repositoryArn").GetString()!;

        // Tags.
        Assert.Equal([("env", "dev"), ("team", "build")], await TagsAsync(aws, arn));
        await aws.JsonAsync("ecr", "tag-resource", "--resource-arn", arn, "--tags", "Key=owner,Value=ci", "Key=team,Value=platform");
        await aws.JsonAsync("ecr", "untag-resource", "--resource-arn", arn, "--tag-keys", "env");
        Assert.Equal([("owner", "ci"), ("team", "platform")], await TagsAsync(aws, arn));
        var reserved = await aws.RunAsync("ecr", "tag-resource", "--resource-arn", arn, "--tags", "Key=aws:owner,Value=x");
        Assert.Equal(AwsCli.ServiceErrorExitCode, reserved.ExitCode);
        Assert.Contains("(InvalidTagParameterException)", reserved.StandardError, StringComparison.Ordinal);
        var otherAccount = await aws.RunAsync("ecr", "list-tags-for-resource", "--resource-arn", arn.Replace(AwsSilo.Tenant(Tenant).Account, "111122223333", StringComparison.Ordinal));
        Assert.Equal(AwsCli.ServiceErrorExitCode, otherAccount.ExitCode);
        Assert.Contains("(AccessDeniedException)", otherAccount.StandardError, StringComparison.Ordinal);

        // Tag mutability: v1 is immutable, latest is excluded.
        var (first, second) = await TwoManifestsAsync("settings/app");
        await aws.JsonAsync("ecr", "put-image", "--repository-name", "settings/app", "--image-tag", "v1", "--image-manifest", first);
        await aws.JsonAsync("ecr", "put-image", "--repository-name", "settings/app", "--image-tag", "latest", "--image-manifest", first);

        var again = await aws.RunAsync("ecr", "put-image", "--repository-name", "settings/app", "--image-tag", "v1", "--image-manifest", first);
        Assert.Equal(AwsCli.ServiceErrorExitCode, again.ExitCode);
        Assert.Contains("(ImageAlreadyExistsException)", again.StandardError, StringComparison.Ordinal);

        var moved = await aws.RunAsync("ecr", "put-image", "--repository-name", "settings/app", "--image-tag", "v1", "--image-manifest", second);
        Assert.Equal(AwsCli.ServiceErrorExitCode, moved.ExitCode);
        Assert.Contains("An error occurred (ImageTagAlreadyExistsException) when calling the PutImage operation", moved.StandardError, StringComparison.Ordinal);
        Assert.Contains(": The image tag 'v1' already exists in the 'settings/app' repository and cannot be overwritten because the repository is immutable.", moved.StandardError, StringComparison.Ordinal);
        Assert.Equal([(Digest(first), "latest"), (Digest(first), "v1")], await ImagesAsync(aws));

        await aws.JsonAsync("ecr", "put-image", "--repository-name", "settings/app", "--image-tag", "latest", "--image-manifest", second);
        var mutable = await aws.JsonAsync("ecr", "put-image-tag-mutability", "--repository-name", "settings/app", "--image-tag-mutability", "MUTABLE");
        Assert.Equal("MUTABLE", mutable.GetProperty("imageTagMutability").GetString());
        await aws.JsonAsync("ecr", "put-image", "--repository-name", "settings/app", "--image-tag", "v1", "--image-manifest", second);
        Assert.Equal([(Digest(second), "latest"), (Digest(second), "v1")], await ImagesAsync(aws));
        var described = (await aws.JsonAsync("ecr", "describe-repositories", "--repository-names", "settings/app")).GetProperty("repositories")[0];
        Assert.Equal("MUTABLE", described.GetProperty("imageTagMutability").GetString());
        Assert.False(described.TryGetProperty("imageTagMutabilityExclusionFilters", out _));

        // Scanning configuration: stored and reported; scanning itself is refused, saying so.
        await aws.JsonAsync("ecr", "put-image-scanning-configuration", "--repository-name", "settings/app", "--image-scanning-configuration", "scanOnPush=false");
        var put = await aws.JsonAsync("ecr", "put-registry-scanning-configuration", "--scan-type", "ENHANCED",
            "--rules", """[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"settings/*","filterType":"WILDCARD"}]}]""");
        Assert.Equal("ENHANCED", put.GetProperty("registryScanningConfiguration").GetProperty("scanType").GetString());
        var registry = await aws.JsonAsync("ecr", "get-registry-scanning-configuration");
        Assert.Equal(AwsSilo.Tenant(Tenant).Account, registry.GetProperty("registryId").GetString());
        Assert.Equal("settings/*", registry.GetProperty("scanningConfiguration").GetProperty("rules")[0].GetProperty("repositoryFilters")[0].GetProperty("filter").GetString());
        var batch = await aws.JsonAsync("ecr", "batch-get-repository-scanning-configuration", "--repository-names", "settings/app", "settings/absent");
        var scanning = batch.GetProperty("scanningConfigurations")[0];
        Assert.Equal(("CONTINUOUS_SCAN", false), (scanning.GetProperty("scanFrequency").GetString(), scanning.GetProperty("scanOnPush").GetBoolean()));
        Assert.Equal("REPOSITORY_NOT_FOUND", batch.GetProperty("failures")[0].GetProperty("failureCode").GetString());

        var scan = await aws.RunAsync("ecr", "start-image-scan", "--repository-name", "settings/app", "--image-id", "imageTag=v1");
        Assert.Equal(AwsCli.ServiceErrorExitCode, scan.ExitCode);
        Assert.Contains("(ValidationException)", scan.StandardError, StringComparison.Ordinal);
        Assert.Contains("GrantSim does not scan images", scan.StandardError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ARegistryPush_MovingAnImmutableTag_IsTagInvalid_AndTheTagStays()
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        Assert.Equal(200, (await json.SendAsync("AmazonEC2ContainerRegistry_V20150921.CreateRepository", """{"repositoryName":"settings/frozen","imageTagMutability":"IMMUTABLE"}""")).StatusCode);
        var (first, second) = await TwoManifestsAsync("settings/frozen");
        var auth = await RegistryHttp.BasicAuthAsync(json);
        using var registry = new RegistryHttp(silo);
        const string Url = "/v2/settings/frozen/manifests/v1";

        using (var pushed = await registry.SendAsync(HttpMethod.Put, Url, auth, Encoding.UTF8.GetBytes(first), "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        // The same manifest under the same tag again changes nothing: a registry client hears 201, as before.
        using (var same = await registry.SendAsync(HttpMethod.Put, Url, auth, Encoding.UTF8.GetBytes(first), "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        }

        using (var moved = await registry.SendAsync(HttpMethod.Put, Url, auth, Encoding.UTF8.GetBytes(second), "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
            using var error = JsonDocument.Parse(await moved.Content.ReadAsStringAsync());
            var entry = error.RootElement.GetProperty("errors")[0];
            Assert.Equal("TAG_INVALID", entry.GetProperty("code").GetString());
            Assert.Contains("The image tag 'v1' already exists in the 'settings/frozen' repository and cannot be overwritten because the repository is immutable.",
                entry.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using var current = await registry.SendAsync(HttpMethod.Get, Url, auth);
        Assert.Equal(Digest(first), current.Headers.GetValues("Docker-Content-Digest").Single());
    }

    private static string Digest(string manifest) => RegistryHttp.Digest(Encoding.UTF8.GetBytes(manifest));

    /// <summary>Uploads a config and two layers through the registry and returns two manifests over them (the layers in either order).</summary>
    private async Task<(string First, string Second)> TwoManifestsAsync(string repository)
    {
        using var json = new AwsJsonClient(silo, Tenant);
        var auth = await RegistryHttp.BasicAuthAsync(json);
        using var registry = new RegistryHttp(silo);
        var blobs = new[] { "{\"os\":\"linux\"}"u8.ToArray(), RandomNumberGenerator.GetBytes(700), RandomNumberGenerator.GetBytes(900) };
        foreach (var blob in blobs)
        {
            using var uploaded = await registry.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={RegistryHttp.Digest(blob)}", auth, blob);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        var (config, a, b) = ((RegistryHttp.Digest(blobs[0]), blobs[0].Length), (RegistryHttp.Digest(blobs[1]), blobs[1].Length), (RegistryHttp.Digest(blobs[2]), blobs[2].Length));
        return (Encoding.UTF8.GetString(RegistryHttp.Manifest(config.Item1, config.Item2, a, b)), Encoding.UTF8.GetString(RegistryHttp.Manifest(config.Item1, config.Item2, b, a)));
    }

    private static async Task<IReadOnlyList<(string, string)>> TagsAsync(AwsCli aws, string arn) =>
        (await aws.JsonAsync("ecr", "list-tags-for-resource", "--resource-arn", arn)).GetProperty("tags").EnumerateArray()
            .Select(t => (t.GetProperty("Key").GetString()!, t.GetProperty("Value").GetString()!)).Order().ToArray();

    private static async Task<IReadOnlyList<(string, string)>> ImagesAsync(AwsCli aws) =>
        (await aws.JsonAsync("ecr", "list-images", "--repository-name", "settings/app", "--filter", "tagStatus=TAGGED")).GetProperty("imageIds").EnumerateArray()
            .Select(i => (i.GetProperty("imageDigest").GetString()!, i.GetProperty("imageTag").GetString()!)).Order().ToArray();
}
