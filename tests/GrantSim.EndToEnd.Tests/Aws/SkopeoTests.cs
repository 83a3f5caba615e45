using GrantSim.Ecr;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;
using GrantSim.Grains;
using Xunit.Abstractions;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// skopeo, unmodified, against the registry under /v2/: login with the password of
/// <c>aws ecr get-login-password</c>, push an OCI layout into a KMS-encrypted repository, pull it
/// back with the same digests; the stored layer is ciphertext; after the grants are revoked the
/// pull fails.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SkopeoTests(AwsSilo silo, ITestOutputHelper output)
{
    private const int Tenant = 6;

    [SkippableFact]
    public async Task Skopeo_PushesAndPullsThroughTheGrants_StoresCiphertext_AndFailsOnceTheGrantsAreRevoked()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var skopeo = ExternalProgram.Require("skopeo", "skopeo");
        var aws = new AwsCli(silo, Tenant);
        var (account, _, _) = AwsSilo.Tenant(Tenant);
        var work = Directory.CreateTempSubdirectory("grantsim-skopeo-").FullName;
        try
        {
            var image = OciLayout.Write(Path.Combine(work, "image"));
            var keyId = (await aws.JsonAsync("kms", "create-key", "--description", "skopeo")).GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
            await aws.JsonAsync("ecr", "create-repository", "--repository-name", "skopeo/app", "--encryption-configuration", $"encryptionType=KMS,kmsKey={keyId}");

            // The README's login, literally: the CLI's password piped into skopeo.
            var registry = $"127.0.0.1:{silo.AwsPort}";
            var authFile = Path.Combine(work, "auth.json");
            var login = await AwsCli.RunProgramAsync("bash",
                ["-c", $"{AwsCli.Path} --endpoint-url {silo.Endpoint} ecr get-login-password | {skopeo} login --tls-verify=false --authfile {authFile} --username AWS --password-stdin {registry}"],
                aws.Environment);
            Assert.True(login.ExitCode == 0, login.Output);

            string[] Copy(string from, string to, string tlsFlag) =>
                ["--insecure-policy", "copy", "--preserve-digests", "--authfile", authFile, tlsFlag, from, to];
            var push = await AwsCli.RunProgramAsync(skopeo, Copy($"oci:{image.Directory}:{OciLayout.Tag}", $"docker://{registry}/skopeo/app:{OciLayout.Tag}", "--dest-tls-verify=false"), aws.Environment);
            output.WriteLine(push.Output);
            Assert.True(push.ExitCode == 0, push.Output);

            var pulledDirectory = Path.Combine(work, "pulled");
            var pull = await AwsCli.RunProgramAsync(skopeo, Copy($"docker://{registry}/skopeo/app:{OciLayout.Tag}", $"oci:{pulledDirectory}:{OciLayout.Tag}", "--src-tls-verify=false"), aws.Environment);
            Assert.True(pull.ExitCode == 0, pull.Output);
            Assert.Equal(image.ManifestDigest, OciLayout.ManifestDigestIn(pulledDirectory));
            Assert.Equal(image.Layer, await File.ReadAllBytesAsync(Path.Combine(pulledDirectory, "blobs", "sha256", image.LayerDigest["sha256:".Length..])));

            var described = (await aws.JsonAsync("ecr", "describe-images", "--repository-name", "skopeo/app")).GetProperty("imageDetails")[0];
            Assert.Equal(image.ManifestDigest, described.GetProperty("imageDigest").GetString());

            // What the storage holds is the layer sealed under a data key from the repository's grant, not the layer.
            var snapshot = await silo.Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(account, "us-east-1", "skopeo/app")).Inspect();
            var stored = await silo.Grains.GetGrain<IStoredObjectGrain>(
                GrainKeys.StoredObject(account, "us-east-1", "skopeo/app", snapshot.Incarnation, StoredObjectKind.Blob, image.LayerDigest)).Get();
            Assert.NotNull(stored);
            Assert.Equal(-1, stored.Sealed.AsSpan().IndexOf(image.Layer.AsSpan(image.Layer.Length / 2, 32)));
            Assert.NotEmpty(stored.DataKey.Ciphertext);

            // A key administrator revokes ECR's grants: pulls fail from then on.
            var grants = (await aws.JsonAsync("kms", "list-grants", "--key-id", keyId)).GetProperty("Grants").EnumerateArray().ToArray();
            Assert.Equal(2, grants.Length);
            foreach (var grant in grants)
            {
                await aws.JsonAsync("kms", "revoke-grant", "--key-id", keyId, "--grant-id", grant.GetProperty("GrantId").GetString()!);
            }

            var denied = await AwsCli.RunProgramAsync(skopeo, Copy($"docker://{registry}/skopeo/app:{OciLayout.Tag}", $"oci:{Path.Combine(work, "denied")}:{OciLayout.Tag}", "--src-tls-verify=false"), aws.Environment);
            output.WriteLine(denied.Output);
            Assert.NotEqual(0, denied.ExitCode);
            Assert.Contains("denied", denied.Output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Registry_WithoutAValidToken_AsksForBasicAuth()
    {
        await silo.StartAsync();
        using var http = new HttpClient();
        using var anonymous = await http.GetAsync(new Uri($"{silo.Endpoint}/v2/"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{silo.Endpoint}/v2/"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("AWS:GSR1.forged.token"u8.ToArray()));
        using var forged = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic realm=\"GrantSim\"", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, forged.StatusCode);
    }
}
