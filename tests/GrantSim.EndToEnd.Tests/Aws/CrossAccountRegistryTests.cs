using System.Net;
using System.Text;
using System.Text.Json;
using GrantSim.Audit;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;
using GrantSim.Grains;
using GrantSim.Kms;
using Xunit.Abstractions;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// Another account's registry, as ECR serves it: tenant 18 owns a KMS-encrypted repository; tenant 19, with its own
/// credentials and its own token, is refused until 18's repository policy allows it, then pulls (skopeo, and the
/// AWS CLI's batch-get-image with --registry-id), while the trail shows ECR decrypting through 18's grant; it stops
/// when 18 revokes the grant. The registry host <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;</c> names the registry too.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CrossAccountRegistryTests(AwsSilo silo, ITestOutputHelper output) : IDisposable
{
    private const int Owner = 18;
    private const int Puller = 19;

    private readonly RegistryHttp _registry = new(silo);

    [SkippableFact]
    public async Task SkopeoAndTheCli_PullFromAnotherAccountsKmsRepository_OnlyWhileItsPolicyAndTheGrantAllow()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var skopeo = ExternalProgram.Require("skopeo", "skopeo");
        var owner = new AwsCli(silo, Owner) { CurrentModels = true };
        var puller = new AwsCli(silo, Puller) { CurrentModels = true };
        var (ownerAccount, _, _) = AwsSilo.Tenant(Owner);
        var (pullerAccount, _, _) = AwsSilo.Tenant(Puller);
        const string name = "xacct/skopeo";
        var registry = $"127.0.0.1:{silo.AwsPort}";
        var work = Directory.CreateTempSubdirectory("grantsim-xacct-").FullName;
        try
        {
            var image = OciLayout.Write(Path.Combine(work, "image"));
            var keyId = (await owner.JsonAsync("kms", "create-key", "--description", "cross-account")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
            await owner.JsonAsync("ecr", "create-repository", "--repository-name", name, "--encryption-configuration", $"encryptionType=KMS,kmsKey={keyId}");
            var ownerCreds = await CredentialsAsync(owner, null);
            var push = await AwsCli.RunProgramAsync(skopeo,
                ["--insecure-policy", "copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds", ownerCreds, $"oci:{image.Directory}:{OciLayout.Tag}", $"docker://{registry}/{name}:{OciLayout.Tag}"], owner.Environment);
            Assert.True(push.ExitCode == 0, push.Output);

            // The puller's own token, for the owner's registry (GetAuthorizationToken's registryIds).
            var pullerCreds = await CredentialsAsync(puller, ownerAccount);
            string[] Inspect() => ["inspect", "--no-tags", "--tls-verify=false", "--creds", pullerCreds, $"docker://{registry}/{name}:{OciLayout.Tag}"];
            string[] Pull(string to) => ["--insecure-policy", "copy", "--src-tls-verify=false", "--src-creds", pullerCreds, $"docker://{registry}/{name}:{OciLayout.Tag}", $"oci:{Path.Combine(work, to)}:{OciLayout.Tag}"];
            var imageIds = new[] { "--image-ids", $"imageTag={OciLayout.Tag}" };

            // Before any policy: refused, by skopeo and by the CLI.
            var refused = await AwsCli.RunProgramAsync(skopeo, Inspect(), puller.Environment);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("denied", refused.Output, StringComparison.OrdinalIgnoreCase);
            var cliRefused = await puller.RunAsync(["ecr", "batch-get-image", "--registry-id", ownerAccount, "--repository-name", name, .. imageIds]);
            Assert.Equal(AwsCli.ServiceErrorExitCode, cliRefused.ExitCode);
            Assert.Contains("AccessDeniedException", cliRefused.Output, StringComparison.Ordinal);
            Assert.Contains($"because no resource-based policy allows the ecr:BatchGetImage action", cliRefused.Output, StringComparison.Ordinal);

            var policy = JsonSerializer.Serialize(new
            {
                Version = "2012-10-17",
                Statement = new[]
                {
                    new
                    {
                        Sid = "PullFromTheOtherAccount",
                        Effect = "Allow",
                        Principal = new { AWS = $"arn:aws:iam::{pullerAccount}:root" },
                        Action = new[] { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability" },
                    },
                },
            });
            var set = await owner.JsonAsync("ecr", "set-repository-policy", "--repository-name", name, "--policy-text", policy);
            Assert.Equal(ownerAccount, set.GetProperty("registryId").GetString());
            Assert.Equal(policy, set.GetProperty("policyText").GetString());
            Assert.Equal(policy, (await owner.JsonAsync("ecr", "get-repository-policy", "--repository-name", name)).GetProperty("policyText").GetString());
            // The puller may read the image, not the policy (the policy does not give it ecr:GetRepositoryPolicy).
            Assert.Contains("AccessDeniedException", (await puller.RunAsync("ecr", "get-repository-policy", "--registry-id", ownerAccount, "--repository-name", name)).Output, StringComparison.Ordinal);

            var decryptsBefore = await DecryptsByEcrAsync(ownerAccount);
            var got = await puller.JsonAsync(["ecr", "batch-get-image", "--registry-id", ownerAccount, "--repository-name", name, .. imageIds]);
            var found = got.GetProperty("images")[0];
            Assert.Equal(ownerAccount, found.GetProperty("registryId").GetString());
            Assert.Equal(image.ManifestDigest, found.GetProperty("imageId").GetProperty("imageDigest").GetString());

            var inspected = await AwsCli.RunProgramAsync(skopeo, Inspect(), puller.Environment);
            Assert.True(inspected.ExitCode == 0, inspected.Output);
            Assert.Equal(image.ManifestDigest, JsonDocument.Parse(inspected.StandardOutput).RootElement.GetProperty("Digest").GetString());
            var pulled = await AwsCli.RunProgramAsync(skopeo, Pull("pulled"), puller.Environment);
            Assert.True(pulled.ExitCode == 0, pulled.Output);
            Assert.Equal(image.Layer, await File.ReadAllBytesAsync(Path.Combine(work, "pulled", "blobs", "sha256", image.LayerDigest["sha256:".Length..])));

            // ECR decrypted, as ECR, through the owner's grant (the puller has no permission on the key at all).
            var grantIds = (await owner.JsonAsync("kms", "list-grants", "--key-id", keyId)).GetProperty("Grants").EnumerateArray().Select(g => g.GetProperty("GrantId").GetString()).ToArray();
            var decrypts = (await DecryptsByEcrAsync(ownerAccount)).Skip(decryptsBefore.Count).ToArray();
            Assert.NotEmpty(decrypts);
            Assert.All(decrypts, e => Assert.Contains(e.GrantId, grantIds));
            Assert.Contains("AccessDeniedException", (await puller.RunAsync("kms", "describe-key", "--key-id", $"arn:aws:kms:us-east-1:{ownerAccount}:key/{keyId}")).Output, StringComparison.Ordinal);

            // A pull, not a push: the policy gives no ecr:PutImage or upload actions.
            var pushRefused = await AwsCli.RunProgramAsync(skopeo,
                ["--insecure-policy", "copy", "--dest-tls-verify=false", "--dest-creds", pullerCreds, $"oci:{image.Directory}:{OciLayout.Tag}", $"docker://{registry}/{name}:pushed-by-puller"], puller.Environment);
            Assert.NotEqual(0, pushRefused.ExitCode);
            Assert.Contains("AccessDeniedException", (await puller.RunAsync("ecr", "set-repository-policy", "--registry-id", ownerAccount, "--repository-name", name, "--policy-text", policy)).Output, StringComparison.Ordinal);

            // The owner revokes ECR's grants: the other account's pull fails too.
            foreach (var grantId in grantIds)
            {
                await owner.JsonAsync("kms", "revoke-grant", "--key-id", keyId, "--grant-id", grantId!);
            }

            var afterRevoke = await AwsCli.RunProgramAsync(skopeo, Pull("after-revoke"), puller.Environment);
            output.WriteLine(afterRevoke.Output);
            Assert.NotEqual(0, afterRevoke.ExitCode);
            Assert.Contains("denied", afterRevoke.Output, StringComparison.OrdinalIgnoreCase);

            var deleted = await owner.JsonAsync("ecr", "delete-repository-policy", "--repository-name", name);
            Assert.Equal(policy, deleted.GetProperty("policyText").GetString());
            var gone = await owner.RunAsync("ecr", "get-repository-policy", "--repository-name", name);
            Assert.Contains("RepositoryPolicyNotFoundException", gone.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [SkippableFact]
    public async Task TheRegistryHost_NamesAnotherAccountsRegistry_WhosePolicyDecides()
    {
        await silo.StartAsync();
        var (ownerAccount, _, _) = AwsSilo.Tenant(Owner);
        var (pullerAccount, _, _) = AwsSilo.Tenant(Puller);
        const string name = "xacct/host";
        using var ownerJson = new AwsJsonClient(silo, Owner);
        using var pullerJson = new AwsJsonClient(silo, Puller);
        Assert.Equal(200, (await ownerJson.SendAsync("AmazonEC2ContainerRegistry_V20150921.CreateRepository", $$"""{"repositoryName":"{{name}}"}""")).StatusCode);
        var ownerAuth = await RegistryHttp.BasicAuthAsync(ownerJson);
        var pullerAuth = await RegistryHttp.BasicAuthAsync(pullerJson);
        var config = Encoding.UTF8.GetBytes("""{"os":"linux","comment":"host"}""");
        var configDigest = RegistryHttp.Digest(config);
        using (var upload = await _registry.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/?digest={configDigest}", ownerAuth, config))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        var manifest = RegistryHttp.Manifest(configDigest, config.Length);
        using (var put = await _registry.SendAsync(HttpMethod.Put, $"/v2/{name}/manifests/v1", ownerAuth, manifest, "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var ownersHost = new Dictionary<string, string> { ["Host"] = $"{ownerAccount}.dkr.ecr.us-east-1.localhost:{silo.AwsPort}" };
        // The puller's token, the owner's registry host: refused (403, not 404: the repository is the owner's, its policy says no).
        using (var refused = await _registry.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1", pullerAuth, headers: ownersHost))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // Without the host, the puller's own registry: it has no such repository.
        using (var own = await _registry.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1", pullerAuth))
        {
            Assert.Equal(HttpStatusCode.NotFound, own.StatusCode);
        }

        var policy = JsonSerializer.Serialize(new
        {
            Statement = new[] { new { Effect = "Allow", Principal = new { AWS = pullerAccount }, Action = new[] { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" } } },
        });
        var set = await ownerJson.SendAsync("AmazonEC2ContainerRegistry_V20150921.SetRepositoryPolicy", JsonSerializer.Serialize(new { repositoryName = name, policyText = policy }));
        Assert.Equal(200, set.StatusCode);

        using (var allowed = await _registry.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1", pullerAuth, headers: ownersHost))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(manifest, await allowed.Content.ReadAsByteArrayAsync());
        }

        using (var blob = await _registry.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{configDigest}", pullerAuth, headers: ownersHost))
        {
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
            Assert.Equal(config, await blob.Content.ReadAsByteArrayAsync());
        }

        // Pushing is not in the policy; and a registry host of another region is not one this token opens.
        using (var push = await _registry.SendAsync(HttpMethod.Put, $"/v2/{name}/manifests/v2", pullerAuth, manifest, "application/vnd.oci.image.manifest.v1+json", headers: ownersHost))
        {
            Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        }

        using (var otherRegion = await _registry.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1", pullerAuth,
            headers: new Dictionary<string, string> { ["Host"] = $"{ownerAccount}.dkr.ecr.eu-west-1.localhost:{silo.AwsPort}" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, otherRegion.StatusCode);
        }
    }

    /// <summary><c>AWS:password</c> of the tenant's token, for its own registry or (registryIds) another account's.</summary>
    private static async Task<string> CredentialsAsync(AwsCli cli, string? registry)
    {
        var answer = registry is null
            ? await cli.JsonAsync("ecr", "get-authorization-token")
            : await cli.JsonAsync("ecr", "get-authorization-token", "--registry-ids", registry);
        var token = answer.GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString()!;
        return Encoding.UTF8.GetString(Convert.FromBase64String(token));
    }

    private async Task<IReadOnlyList<AuditEvent>> DecryptsByEcrAsync(string account) =>
        (await silo.Grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, "us-east-1")).Query(new AuditQuery(EventName: KmsOperations.Decrypt)))
            .Where(e => e.UserIdentity.Type == "AWSService" && e.Succeeded)
            .ToArray();

    public void Dispose() => _registry.Dispose();
}
