using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// What a hostile client sends, each case one that used to get a 500, no answer, a state change on a
/// refusal, or another tenant locked out: now a well-formed 4xx that changes nothing.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostileInputTests(AwsSilo silo) : IDisposable
{
    private const int Tenant = 13;
    private const int OtherTenant = 14;
    private const string Ecr = "AmazonEC2ContainerRegistry_V20150921.";

    private readonly RegistryHttp _registry = new(silo);

    public void Dispose() => _registry.Dispose();

    [Fact]
    public async Task ATenantHoldingEveryUploadSlotItMay_DoesNotStopAnotherTenantFromPushing()
    {
        await silo.StartAsync();
        using var greedy = new AwsJsonClient(silo, Tenant);
        using var other = new AwsJsonClient(silo, OtherTenant);
        Assert.Equal(200, (await greedy.SendAsync(Ecr + "CreateRepository", """{"repositoryName":"hoard"}""")).StatusCode);
        Assert.Equal(200, (await other.SendAsync(Ecr + "CreateRepository", """{"repositoryName":"fair"}""")).StatusCode);
        var greedyAuth = await RegistryHttp.BasicAuthAsync(greedy);
        var locations = new List<string>();
        HttpStatusCode refused = default;
        for (var i = 0; i < 500 && refused == default; i++)
        {
            using var started = await _registry.SendAsync(HttpMethod.Post, "/v2/hoard/blobs/uploads/", greedyAuth);
            if (started.StatusCode == HttpStatusCode.Accepted)
            {
                locations.Add(started.Headers.Location!.ToString());
            }
            else
            {
                refused = started.StatusCode;
                Assert.Contains("TOOMANYREQUESTS", await started.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, refused);
        Assert.Equal(100, locations.Count);
        var initiate = await greedy.SendAsync(Ecr + "InitiateLayerUpload", """{"repositoryName":"hoard"}""");
        Assert.Equal((400, "LimitExceededException"), (initiate.StatusCode, initiate.ErrorType));

        // The other tenant pushes, monolithically and in chunks, as if nothing happened.
        var otherAuth = await RegistryHttp.BasicAuthAsync(other);
        var blob = RandomNumberGenerator.GetBytes(3000);
        using (var monolithic = await _registry.SendAsync(HttpMethod.Post, $"/v2/fair/blobs/uploads/?digest={RegistryHttp.Digest(blob)}", otherAuth, blob))
        {
            Assert.Equal(HttpStatusCode.Created, monolithic.StatusCode);
        }

        Assert.Equal(200, (await other.SendAsync(Ecr + "InitiateLayerUpload", """{"repositoryName":"fair"}""")).StatusCode);

        foreach (var location in locations)
        {
            using var cancelled = await _registry.SendAsync(HttpMethod.Delete, location, greedyAuth);
            Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        }

        using var again = await _registry.SendAsync(HttpMethod.Post, "/v2/hoard/blobs/uploads/", greedyAuth);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task Manifests_PutTwiceUnderOneTag_AreCreatedBothTimes_AndUnderAnotherDigest_AreRefusedAndNotStored()
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        Assert.Equal(200, (await json.SendAsync(Ecr + "CreateRepository", """{"repositoryName":"manifests"}""")).StatusCode);
        var auth = await RegistryHttp.BasicAuthAsync(json);
        var (manifest, _) = await PushBlobsAsync(auth, "manifests", "{\"os\":\"linux\"}");
        var digest = RegistryHttp.Digest(manifest);

        for (var i = 0; i < 2; i++)
        {
            using var put = await _registry.SendAsync(HttpMethod.Put, "/v2/manifests/manifests/v1", auth, manifest, "application/vnd.oci.image.manifest.v1+json");
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());
        }

        var (other, _) = await PushBlobsAsync(auth, "manifests", "{\"os\":\"windows\"}");
        using (var wrong = await _registry.SendAsync(HttpMethod.Put, $"/v2/manifests/manifests/{digest}", auth, other, "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("DIGEST_INVALID", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var notStored = await _registry.SendAsync(HttpMethod.Get, $"/v2/manifests/manifests/{RegistryHttp.Digest(other)}", auth);
        Assert.Equal(HttpStatusCode.NotFound, notStored.StatusCode);
    }

    [Fact]
    public async Task PutImage_WithATagAndADigestNotItsOwn_IsRefused_AndTheTagStaysWhereItWas()
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        Assert.Equal(200, (await json.SendAsync(Ecr + "CreateRepository", """{"repositoryName":"tags"}""")).StatusCode);
        var auth = await RegistryHttp.BasicAuthAsync(json);
        var (first, _) = await PushBlobsAsync(auth, "tags", "{\"v\":1}");
        var (second, _) = await PushBlobsAsync(auth, "tags", "{\"v\":2}");
        using (var put = await _registry.SendAsync(HttpMethod.Put, "/v2/tags/manifests/v1", auth, first, "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var refused = await json.SendAsync(Ecr + "PutImage", JsonSerializer.Serialize(new
        {
            repositoryName = "tags", imageManifest = Encoding.UTF8.GetString(second), imageTag = "v1", imageDigest = RegistryHttp.Digest(first),
        }));

        Assert.Equal((400, "ImageDigestDoesNotMatchException"), (refused.StatusCode, refused.ErrorType));
        var v1 = await json.SendAsync(Ecr + "BatchGetImage", """{"repositoryName":"tags","imageIds":[{"imageTag":"v1"}]}""");
        using var images = JsonDocument.Parse(v1.Body);
        Assert.Equal(RegistryHttp.Digest(first), images.RootElement.GetProperty("images")[0].GetProperty("imageId").GetProperty("imageDigest").GetString());
    }

    [Theory]
    [InlineData("10-5")]
    [InlineData("0-1000000")]
    [InlineData("bytes 5-14/*")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("0-8")]
    public async Task AChunkWhoseContentRangeDoesNotDescribeIt_Is416_AndTheUploadStaysWhereItWas(string range)
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        await json.SendAsync(Ecr + "CreateRepository", """{"repositoryName":"ranges"}""");
        var auth = await RegistryHttp.BasicAuthAsync(json);
        string location;
        using (var started = await _registry.SendAsync(HttpMethod.Post, "/v2/ranges/blobs/uploads/", auth))
        {
            location = started.Headers.Location!.ToString();
        }

        using (var chunk = await _registry.SendAsync(HttpMethod.Patch, location, auth, new byte[10], contentRange: range))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, chunk.StatusCode);
            Assert.Contains("BLOB_UPLOAD_INVALID", await chunk.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var status = await _registry.SendAsync(HttpMethod.Get, location, auth))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-0", status.Headers.GetValues("Range").Single());
        }

        using var right = await _registry.SendAsync(HttpMethod.Patch, location, auth, new byte[10], contentRange: "0-9");
        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        Assert.Equal("0-9", right.Headers.GetValues("Range").Single());
        await _registry.SendAsync(HttpMethod.Delete, location, auth);
    }

    [Theory]
    [InlineData("pad")]
    [InlineData("plus-slash")]
    [InlineData("garbage")]
    [InlineData("huge")]
    [InlineData("not-base64")]
    public async Task ATokenReSpelledOrMangled_Is401_Never500(string how)
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        var genuine = Encoding.UTF8.GetString(Convert.FromBase64String((await RegistryHttp.BasicAuthAsync(json)).Parameter!));
        var password = genuine["AWS:".Length..];
        var mangled = how switch
        {
            "pad" => password + "=",
            // The MAC in standard base64 ('+', '/', padded): the same bytes, never the same text.
            "plus-slash" => password[..(password.LastIndexOf('.') + 1)] + password[(password.LastIndexOf('.') + 1)..].Replace('-', '+').Replace('_', '/') + "=",
            "garbage" => "GSR1.e30.AAAA",
            "huge" => "GSR1." + new string('A', 20_000) + ".x",
            _ => "GSR1.@@@.!!!",
        };
        Assert.NotEqual(password, mangled);
        var auth = how == "not-base64"
            ? new AuthenticationHeaderValue("Basic", "%%%")
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + mangled)));

        using var answer = await _registry.SendAsync(HttpMethod.Get, "/v2/", auth);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Contains("UNAUTHORIZED", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Every operation of the KMS and ECR service models the silo carries (read here from the files, not through the silo's code).</summary>
    public static TheoryData<string> EveryModelledOperation()
    {
        var data = new TheoryData<string>();
        foreach (var (file, prefix) in new[] { ("kms-2014-11-01.json", "TrentService."), ("ecr-2015-09-21.json", Ecr) })
        {
            using var model = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Repository.Root, "silo", "Aws", "Models", file)));
            foreach (var operation in model.RootElement.GetProperty("operations").EnumerateObject())
            {
                data.Add(prefix + operation.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryModelledOperation))]
    public async Task InvalidUtf8OrAnUnpairedSurrogate_InAnyOperation_IsA400SerializationException(string target)
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        byte[][] bodies = [[.. "{\"KeyId\":\"a"u8, 0xFF, .. "b\"}"u8], "{\"KeyId\":\"\\ud800x\"}"u8.ToArray(), [.. "{\"repositoryName\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8]];
        foreach (var body in bodies)
        {
            var answer = await json.SendAsync(target, body);
            Assert.Equal((400, "SerializationException"), (answer.StatusCode, answer.ErrorType));
        }
    }

    /// <summary>
    /// A client that sends less than its Content-Length and waits gets a 400 once the body stops arriving
    /// (Kestrel's minimum body data rate, after its grace period) — not silence. (One that also closes its
    /// side of the connection has left: Kestrel aborts the request, and there is nobody to answer.)
    /// </summary>
    [Fact]
    public async Task ABodyShorterThanItsContentLength_IsAnswered400()
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        var body = """{"KeyId":"alias/none"}"""u8.ToArray();

        var answer = await RawHttp.SendAsync(silo.AwsPort, "POST", "/", json.Sign("TrentService.DescribeKey", body), body, declaredLength: body.Length + 50, closeAfterSending: false);

        Assert.Equal(400, answer.Status);
        Assert.Contains("SerializationException", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOverTheLimit_IsAnswered413_NotCutOff()
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        var body = new byte[31 * 1024 * 1024];
        body.AsSpan().Fill((byte)' ');

        var answer = await json.SendAsync("TrentService.DescribeKey", body);

        Assert.Equal((413, "SerializationException"), (answer.StatusCode, answer.ErrorType));
    }

    [Fact]
    public async Task ARequestWhoseTargetIsNotSigned_IsRefused_SoNobodyOnThePathCanSwitchIt()
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);

        var answer = await json.SendAsync("TrentService.ListKeys", "{}"u8.ToArray(), signTarget: false);

        Assert.Equal((400, "IncompleteSignatureException"), (answer.StatusCode, answer.ErrorType));
    }

    /// <summary>Uploads a config and a layer and returns the manifest naming them (not yet put).</summary>
    private async Task<(byte[] Manifest, string ConfigDigest)> PushBlobsAsync(AuthenticationHeaderValue auth, string repository, string config)
    {
        var configBytes = Encoding.UTF8.GetBytes(config);
        var layer = RandomNumberGenerator.GetBytes(1000);
        foreach (var blob in new[] { configBytes, layer })
        {
            using var put = await _registry.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={RegistryHttp.Digest(blob)}", auth, blob);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        return (RegistryHttp.Manifest(RegistryHttp.Digest(configBytes), configBytes.Length, (RegistryHttp.Digest(layer), layer.Length)), RegistryHttp.Digest(configBytes));
    }
}
