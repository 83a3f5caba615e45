using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// Images as real tools push them, as tenant 21: boto3 fetches a layer through GetDownloadUrlForLayer's URL with plain
/// HTTP (an expired or tampered URL refused), reads DescribeImages' fields; the AWS CLI meets the errors the model names;
/// skopeo copies a two-architecture OCI image index in and out byte for byte, and the registry lists its tags.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ImagesPeerTests(AwsSilo silo, ITestOutputHelper output)
{
    private const int Tenant = 21;

    // Pushes a Docker image with boto3's layer calls, then prints one JSON line of findings; every error is caught and named.
    private const string Script = """
        import base64, hashlib, json, sys, urllib.request, urllib.error
        import boto3
        from botocore.exceptions import ClientError

        ecr = boto3.client("ecr", endpoint_url=sys.argv[1], region_name="us-east-1")
        repo = "peer/images"
        ecr.create_repository(repositoryName=repo, encryptionConfiguration={"encryptionType": "KMS"})

        def upload(content):
            upload_id = ecr.initiate_layer_upload(repositoryName=repo)["uploadId"]
            ecr.upload_layer_part(repositoryName=repo, uploadId=upload_id, partFirstByte=0, partLastByte=len(content) - 1, layerPartBlob=content)
            digest = "sha256:" + hashlib.sha256(content).hexdigest()
            ecr.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[digest])
            return digest

        def error(call):
            try:
                call()
                return None
            except ClientError as e:
                return e.response["Error"]["Code"]

        def http(url):
            try:
                with urllib.request.urlopen(url) as response:
                    return [response.status, response.read()]
            except urllib.error.HTTPError as e:
                return [e.code, b""]

        layer = bytes(range(256)) * 40
        config = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
        layer_digest, config_digest = upload(layer), upload(config)
        loose_digest = upload(b"a layer of no image")
        manifest = json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": len(config), "digest": config_digest},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": len(layer), "digest": layer_digest}]})
        for tag in ["first", "second", "third"]:
            ecr.put_image(repositoryName=repo, imageManifest=manifest, imageTag=tag)
        pulled = ecr.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": "first"}])["images"][0]["imageManifest"]

        answer = ecr.get_download_url_for_layer(repositoryName=repo, layerDigest=layer_digest)
        url = answer["downloadUrl"]
        status, body = http(url)
        config_status, config_body = http(ecr.get_download_url_for_layer(repositoryName=repo, layerDigest=config_digest)["downloadUrl"])
        tampered = url[:-2] + ("AA" if not url.endswith("AA") else "BB")
        other_layer = url.replace(layer_digest, config_digest)
        detail = ecr.describe_images(repositoryName=repo)["imageDetails"][0]
        refused = ecr.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": "first"}],
                                      acceptedMediaTypes=["application/vnd.oci.image.manifest.v1+json"])

        print(json.dumps({
            "layerDigest": answer["layerDigest"] == layer_digest,
            "status": status,
            "sameBytes": body == layer,
            "configSame": config_status == 200 and config_body == config,
            "tampered": http(tampered)[0],
            "otherLayer": http(other_layer)[0],
            "unsigned": http(url.split("?")[0])[0],
            "url": url,
            "loose": error(lambda: ecr.get_download_url_for_layer(repositoryName=repo, layerDigest=loose_digest)),
            "missing": error(lambda: ecr.get_download_url_for_layer(repositoryName=repo, layerDigest="sha256:" + "0" * 64)),
            "noRepository": error(lambda: ecr.get_download_url_for_layer(repositoryName="peer/none", layerDigest=layer_digest)),
            "tags": detail["imageTags"],
            "size": detail["imageSizeInBytes"],
            "layerLength": len(layer),
            "mediaType": detail["imageManifestMediaType"],
            "artifactMediaType": detail.get("artifactMediaType"),
            "lastPull": "lastRecordedPullTime" in detail,
            "pushedAt": "imagePushedAt" in detail,
            "pulledSame": pulled == manifest,
            "refusedCode": refused["failures"][0]["failureCode"] if refused["failures"] else None,
        }))
        """;

    [SkippableFact]
    public async Task Boto3_GetsALayerThroughItsDownloadUrl_WithPlainHttp_AndReadsEcrsImageFields()
    {
        await silo.StartAsync();
        var python = ExternalProgram.RequireAt("/usr/bin/python3", "python3");
        ExternalProgram.RequireAt("/usr/lib/python3/dist-packages/boto3/__init__.py", "python3-boto3");
        var environment = new Dictionary<string, string>(new AwsCli(silo, Tenant) { CurrentModels = true }.Environment) { ["PYTHONNOUSERSITE"] = "1" };

        var result = await AwsCli.RunProgramAsync(python, ["-c", Script, silo.Endpoint], environment);

        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        var findings = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.True(findings.GetProperty("layerDigest").GetBoolean());
        Assert.Equal(200, findings.GetProperty("status").GetInt32());
        Assert.True(findings.GetProperty("sameBytes").GetBoolean());
        Assert.True(findings.GetProperty("configSame").GetBoolean());
        Assert.Equal(403, findings.GetProperty("tampered").GetInt32());
        Assert.Equal(403, findings.GetProperty("otherLayer").GetInt32());
        Assert.Equal(401, findings.GetProperty("unsigned").GetInt32());
        Assert.Equal("LayerInaccessibleException", findings.GetProperty("loose").GetString());
        Assert.Equal("LayersNotFoundException", findings.GetProperty("missing").GetString());
        Assert.Equal("RepositoryNotFoundException", findings.GetProperty("noRepository").GetString());
        Assert.Equal(["first", "second", "third"], findings.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal(findings.GetProperty("layerLength").GetInt64(), findings.GetProperty("size").GetInt64());
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", findings.GetProperty("mediaType").GetString());
        Assert.Equal("application/vnd.docker.container.image.v1+json", findings.GetProperty("artifactMediaType").GetString());
        Assert.True(findings.GetProperty("lastPull").GetBoolean());
        Assert.True(findings.GetProperty("pushedAt").GetBoolean());
        Assert.True(findings.GetProperty("pulledSame").GetBoolean());
        Assert.Equal("ImageNotFound", findings.GetProperty("refusedCode").GetString());

        // The URL works for the same layer with no other credential, and only for a GET or HEAD of it.
        using var http = new HttpClient();
        var url = new Uri(findings.GetProperty("url").GetString()!);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        using var delete = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
    }

    [SkippableFact]
    public async Task AwsCli_MeetsTheErrorsTheModelNames()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var aws = new AwsCli(silo, Tenant) { CurrentModels = true };
        await aws.JsonAsync("ecr", "create-repository", "--repository-name", "peer/errors");
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var configDigest = await UploadAsync(aws, "peer/errors", config);
        var missingLayer = "sha256:" + new string('1', 64);
        string Manifest(params string[] layers) => JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", size = config.Length, digest = configDigest },
            layers = layers.Select(l => new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", size = 10, digest = l }).ToArray(),
        });

        var manifest = Manifest();
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));
        await aws.JsonAsync("ecr", "put-image", "--repository-name", "peer/errors", "--image-tag", "v1", "--image-manifest", manifest);

        async Task AssertError(string code, params string[] arguments)
        {
            var result = await aws.RunAsync(["ecr", .. arguments]);
            Assert.True(result.ExitCode == AwsCli.ServiceErrorExitCode, result.Output);
            Assert.Contains($"({code})", result.StandardError, StringComparison.Ordinal);
        }

        await AssertError("ImageAlreadyExistsException", "put-image", "--repository-name", "peer/errors", "--image-tag", "v1", "--image-manifest", manifest);
        await AssertError("LayersNotFoundException", "put-image", "--repository-name", "peer/errors", "--image-manifest", Manifest(missingLayer));
        await AssertError("ImageDigestDoesNotMatchException", "put-image", "--repository-name", "peer/errors", "--image-manifest", manifest, "--image-digest", missingLayer);
        await AssertError("InvalidParameterException", "put-image", "--repository-name", "peer/errors", "--image-manifest", "{not json");
        var index = JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.index.v1+json",
            manifests = new[] { new { mediaType = "application/vnd.oci.image.manifest.v1+json", size = 10, digest = missingLayer } },
        });
        await AssertError("ReferencedImagesNotFoundException", "put-image", "--repository-name", "peer/errors", "--image-tag", "multi", "--image-manifest", index);
        await AssertError("LayersNotFoundException", "get-download-url-for-layer", "--repository-name", "peer/errors", "--layer-digest", missingLayer);
        await AssertError("RepositoryNotFoundException", "batch-get-image", "--repository-name", "peer/none", "--image-ids", "imageTag=v1");

        // An index naming the image: the image cannot be deleted while the index names it (a failure, not an exception).
        var goodIndex = JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.index.v1+json",
            manifests = new[] { new { mediaType = "application/vnd.oci.image.manifest.v1+json", size = manifest.Length, digest } },
        });
        await aws.JsonAsync("ecr", "put-image", "--repository-name", "peer/errors", "--image-tag", "multi", "--image-manifest", goodIndex);
        var deleted = await aws.JsonAsync("ecr", "batch-delete-image", "--repository-name", "peer/errors", "--image-ids", $"imageDigest={digest}");
        Assert.Equal("ImageReferencedByManifestList", deleted.GetProperty("failures")[0].GetProperty("failureCode").GetString());
        var described = await aws.JsonAsync("ecr", "describe-images", "--repository-name", "peer/errors", "--image-ids", "imageTag=multi");
        Assert.Equal("application/vnd.oci.image.index.v1+json", described.GetProperty("imageDetails")[0].GetProperty("imageManifestMediaType").GetString());
    }

    [SkippableFact]
    public async Task SkopeoCopyAll_OfATwoArchitectureIndex_GoesInAndComesBackByteForByte()
    {
        await silo.StartAsync();
        AwsCli.Require();
        var skopeo = ExternalProgram.Require("skopeo", "skopeo");
        var aws = new AwsCli(silo, Tenant);
        var work = Directory.CreateTempSubdirectory("grantsim-multiarch-").FullName;
        try
        {
            var image = OciIndexLayout.Write(Path.Combine(work, "image"));
            await aws.JsonAsync("ecr", "create-repository", "--repository-name", "peer/multiarch", "--encryption-configuration", "encryptionType=KMS");
            var registry = $"127.0.0.1:{silo.AwsPort}";
            var authFile = Path.Combine(work, "auth.json");
            var login = await AwsCli.RunProgramAsync("bash",
                ["-c", $"{AwsCli.Path} --endpoint-url {silo.Endpoint} ecr get-login-password | {skopeo} login --tls-verify=false --authfile {authFile} --username AWS --password-stdin {registry}"],
                aws.Environment);
            Assert.True(login.ExitCode == 0, login.Output);

            string[] Copy(string from, string to, string tlsFlag) =>
                ["--insecure-policy", "copy", "--all", "--preserve-digests", "--authfile", authFile, tlsFlag, from, to];
            var push = await AwsCli.RunProgramAsync(skopeo, Copy($"oci:{image.Directory}:{OciIndexLayout.Tag}", $"docker://{registry}/peer/multiarch:{OciIndexLayout.Tag}", "--dest-tls-verify=false"), aws.Environment);
            output.WriteLine(push.Output);
            Assert.True(push.ExitCode == 0, push.Output);

            var pulledDirectory = Path.Combine(work, "pulled");
            var pull = await AwsCli.RunProgramAsync(skopeo, Copy($"docker://{registry}/peer/multiarch:{OciIndexLayout.Tag}", $"oci:{pulledDirectory}:{OciIndexLayout.Tag}", "--src-tls-verify=false"), aws.Environment);
            output.WriteLine(pull.Output);
            Assert.True(pull.ExitCode == 0, pull.Output);

            // Every blob of the original layout — the index, both manifests, configs and layers — came back with the same bytes.
            Assert.Equal(image.IndexDigest, OciLayout.ManifestDigestIn(pulledDirectory));
            foreach (var blob in Directory.GetFiles(Path.Combine(image.Directory, "blobs", "sha256")))
            {
                Assert.Equal(await File.ReadAllBytesAsync(blob), await File.ReadAllBytesAsync(Path.Combine(pulledDirectory, "blobs", "sha256", Path.GetFileName(blob))));
            }

            var described = (await aws.JsonAsync("ecr", "describe-images", "--repository-name", "peer/multiarch")).GetProperty("imageDetails").EnumerateArray()
                .ToDictionary(d => d.GetProperty("imageDigest").GetString()!);
            Assert.Equal(3, described.Count);
            Assert.Equal(image.ManifestDigests.Order(StringComparer.Ordinal), described.Keys.Where(k => k != image.IndexDigest).Order(StringComparer.Ordinal));
            Assert.Equal(image.LayerSizes.Max(), described[image.IndexDigest].GetProperty("imageSizeInBytes").GetInt64());
            Assert.Equal([OciIndexLayout.Tag], described[image.IndexDigest].GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()!));

            // The registry's tags/list, paged by n and last.
            var password = (await aws.RunAsync("ecr", "get-login-password")).StandardOutput.Trim();
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + password)));
            await aws.JsonAsync("ecr", "put-image", "--repository-name", "peer/multiarch", "--image-tag", "a-first",
                "--image-manifest", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(image.Directory, "blobs", "sha256", image.IndexDigest["sha256:".Length..]))),
                "--image-manifest-media-type", "application/vnd.oci.image.index.v1+json");
            using var first = await http.GetAsync(new Uri($"{silo.Endpoint}/v2/peer/multiarch/tags/list?n=1"));
            using var rest = await http.GetAsync(new Uri($"{silo.Endpoint}/v2/peer/multiarch/tags/list?n=1&last=a-first"));
            Assert.Equal("{\"name\":\"peer/multiarch\",\"tags\":[\"a-first\"]}", await first.Content.ReadAsStringAsync());
            Assert.Equal("</v2/peer/multiarch/tags/list?n=1&last=a-first>; rel=\"next\"", first.Headers.GetValues("Link").Single());
            Assert.Equal("{\"name\":\"peer/multiarch\",\"tags\":[\"v1\"]}", await rest.Content.ReadAsStringAsync());
            Assert.False(rest.Headers.Contains("Link"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> UploadAsync(AwsCli aws, string repository, byte[] content)
    {
        var uploadId = (await aws.JsonAsync("ecr", "initiate-layer-upload", "--repository-name", repository)).GetProperty("uploadId").GetString()!;
        var file = Path.Combine(Path.GetTempPath(), $"grantsim-part-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, content);
        try
        {
            await aws.JsonAsync("ecr", "upload-layer-part", "--repository-name", repository, "--upload-id", uploadId, "--part-first-byte", "0",
                "--part-last-byte", (content.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--layer-part-blob", "fileb://" + file);
        }
        finally
        {
            File.Delete(file);
        }

        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await aws.JsonAsync("ecr", "complete-layer-upload", "--repository-name", repository, "--upload-id", uploadId, "--layer-digests", digest);
        return digest;
    }
}
