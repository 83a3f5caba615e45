using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>The OCI Distribution paths skopeo did not take: monolithic and chunked uploads, HEAD, manifests by digest, and one tenant's token against another's repository.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RegistryProtocolTests(AwsSilo silo) : IDisposable
{
    private const int Tenant = 9;
    private const int OtherTenant = 10;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task MonolithicAndChunkedUploads_HeadAndManifestByDigest_Work_AndAnotherTenantSeesNothing()
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        Assert.Equal(200, (await json.SendAsync("AmazonEC2ContainerRegistry_V20150921.CreateRepository", "{\"repositoryName\":\"proto/app\",\"encryptionConfiguration\":{\"encryptionType\":\"KMS\"}}")).StatusCode);
        var auth = await BasicAuthAsync(json);
        var registry = $"{silo.Endpoint}/v2/proto/app";

        var config = "{\"os\":\"linux\"}"u8.ToArray();
        var configDigest = Digest(config);
        using (var monolithic = await SendAsync(HttpMethod.Post, $"{registry}/blobs/uploads/?digest={configDigest}", auth, config))
        {
            Assert.Equal(HttpStatusCode.Created, monolithic.StatusCode);
            Assert.Equal(configDigest, monolithic.Headers.GetValues("Docker-Content-Digest").Single());
        }

        var layer = RandomNumberGenerator.GetBytes(5000);
        var layerDigest = Digest(layer);
        string location;
        using (var started = await SendAsync(HttpMethod.Post, $"{registry}/blobs/uploads/", auth))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            location = started.Headers.Location!.ToString();
        }

        using (var first = await SendAsync(HttpMethod.Patch, silo.Endpoint + location, auth, layer[..2000], contentRange: "0-1999"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal("0-1999", first.Headers.GetValues("Range").Single());
        }

        using (var outOfOrder = await SendAsync(HttpMethod.Patch, silo.Endpoint + location, auth, layer[..10], contentRange: "4000-4009"))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, outOfOrder.StatusCode);
        }

        using (var last = await SendAsync(HttpMethod.Put, $"{silo.Endpoint}{location}?digest={layerDigest}", auth, layer[2000..]))
        {
            Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        }

        using (var head = await SendAsync(HttpMethod.Head, $"{registry}/blobs/{layerDigest}", auth))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(layer.Length, head.Content.Headers.ContentLength);
        }

        using (var missing = await SendAsync(HttpMethod.Head, $"{registry}/blobs/{Digest([1])}", auth))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = layerDigest, size = layer.Length } },
        }));
        var manifestDigest = Digest(manifest);
        using (var put = await SendAsync(HttpMethod.Put, $"{registry}/manifests/{manifestDigest}", auth, manifest, "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var byDigest = await SendAsync(HttpMethod.Get, $"{registry}/manifests/{manifestDigest}", auth))
        {
            Assert.Equal(HttpStatusCode.OK, byDigest.StatusCode);
            Assert.Equal("application/vnd.oci.image.manifest.v1+json", byDigest.Content.Headers.ContentType!.MediaType);
            Assert.Equal(manifest, await byDigest.Content.ReadAsByteArrayAsync());
        }

        using (var blob = await SendAsync(HttpMethod.Get, $"{registry}/blobs/{layerDigest}", auth))
        {
            Assert.Equal(layer, await blob.Content.ReadAsByteArrayAsync());
        }

        // Another tenant's token names another account: the same path is a repository it does not have.
        using var other = new AwsJsonClient(silo, OtherTenant);
        using (var foreign = await SendAsync(HttpMethod.Get, $"{registry}/blobs/{layerDigest}", await BasicAuthAsync(other)))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
            Assert.Contains("NAME_UNKNOWN", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static async Task<AuthenticationHeaderValue> BasicAuthAsync(AwsJsonClient client)
    {
        var answer = await client.SendAsync("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken", "{}");
        using var document = JsonDocument.Parse(answer.Body);
        return new AuthenticationHeaderValue("Basic", document.RootElement.GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, AuthenticationHeaderValue auth, byte[]? body = null, string? contentType = null, string? contentRange = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url));
        request.Headers.Authorization = auth;
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
            if (contentRange is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
            }
        }

        return await _http.SendAsync(request);
    }

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public void Dispose() => _http.Dispose();
}
