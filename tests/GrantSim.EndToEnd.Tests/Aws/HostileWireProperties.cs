using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;
using Xunit.Abstractions;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// The property a hostile client tests: whatever it sends — invalid UTF-8 anywhere, any member of any
/// type, required members left out, bodies cut short or claiming another length, registry paths,
/// digests, ranges and tokens mangled — every answer is a well-formed AWS or OCI error (never a 5xx,
/// never a dropped connection), and a refused request leaves the tenant's state exactly as it was:
/// keys, aliases, policies, grants, repositories, images and tags, blobs, uploads in progress, and
/// every successful event of the trail.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostileWireProperties(AwsSilo silo, ITestOutputHelper output) : IDisposable
{
    private const int Tenant = 15;
    private const string Ecr = "AmazonEC2ContainerRegistry_V20150921.";
    private const string Kms = "TrentService.";

    /// <summary>GRANTSIM_WIRE_CASES raises the number of hostile requests (CI: 400).</summary>
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("GRANTSIM_WIRE_CASES"), out var cases) && cases > 0 ? cases : 400;

    private readonly RegistryHttp _registry = new(silo);
    private readonly HttpClient _health = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _registry.Dispose();
        _health.Dispose();
    }

    private sealed record World(string KeyArn, string GrantId, string Repository, string ManifestDigest, string BlobDigest, string UploadLocation, string EcrUploadId, AuthenticationHeaderValue Auth);

    [Fact]
    public async Task AnyHostileRequest_IsAWellFormed4xx_AndARefusalChangesNothing()
    {
        await silo.StartAsync();
        using var json = new AwsJsonClient(silo, Tenant);
        var world = await SetUpAsync(json);
        var random = new Random(20261201);
        var before = await SnapshotAsync();
        var (refused, accepted) = (0, 0);
        for (var i = 0; i < Cases; i++)
        {
            var request = random.Next(3) == 0 ? RegistryRequest(random, world) : JsonRequest(random, world);
            var answer = await request.Send(json);
            Assert.True(answer.Status is >= 200 and < 500, $"{request.Description} was answered {answer.Status}: {answer.Body}");
            if (answer.Status >= 400)
            {
                refused++;
                Assert.True(answer.WellFormed, $"{request.Description} was refused {answer.Status} with no AWS- or OCI-shaped error: {answer.Body}");
                var after = await SnapshotAsync();
                Assert.True(before == after, $"{request.Description} was refused {answer.Status}, yet the state changed:{Environment.NewLine}{Difference(before, after)}");
            }
            else
            {
                accepted++;
                before = await SnapshotAsync();
            }
        }

        output.WriteLine($"{Cases} hostile requests: {refused} refused, each leaving the state as it was; {accepted} accepted; no 5xx, no connection dropped");
    }

    private sealed record Answer(int Status, string Body, bool WellFormed);

    private sealed record Hostile(string Description, Func<AwsJsonClient, Task<Answer>> Send);

    // ---- the tenant's world: a key with an alias and a grant, a KMS repository with an image, an upload open on each API ----

    private async Task<World> SetUpAsync(AwsJsonClient json)
    {
        var key = JsonDocument.Parse((await json.SendAsync(Kms + "CreateKey", """{"Description":"wire"}""")).Body).RootElement.GetProperty("KeyMetadata").GetProperty("Arn").GetString()!;
        await json.SendAsync(Kms + "CreateAlias", JsonSerializer.Serialize(new { AliasName = "alias/wire", TargetKeyId = key }));
        var grant = JsonDocument.Parse((await json.SendAsync(Kms + "CreateGrant", JsonSerializer.Serialize(new
        {
            KeyId = key, GranteePrincipal = $"arn:aws:iam::{AwsSilo.Tenant(Tenant).Account}:role/reader", Operations = new[] { "Decrypt" },
        }))).Body).RootElement.GetProperty("GrantId").GetString()!;
        await json.SendAsync(Ecr + "CreateRepository", JsonSerializer.Serialize(new { repositoryName = "wire/app", encryptionConfiguration = new { encryptionType = "KMS", kmsKey = key } }));
        var auth = await RegistryHttp.BasicAuthAsync(json);
        var config = "{\"os\":\"linux\"}"u8.ToArray();
        var layer = RandomNumberGenerator.GetBytes(700);
        foreach (var blob in new[] { config, layer })
        {
            using var put = await _registry.SendAsync(HttpMethod.Post, $"/v2/wire/app/blobs/uploads/?digest={RegistryHttp.Digest(blob)}", auth, blob);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var manifest = RegistryHttp.Manifest(RegistryHttp.Digest(config), config.Length, (RegistryHttp.Digest(layer), layer.Length));
        using (var put = await _registry.SendAsync(HttpMethod.Put, "/v2/wire/app/manifests/v1", auth, manifest, "application/vnd.oci.image.manifest.v1+json"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        string location;
        using (var started = await _registry.SendAsync(HttpMethod.Post, "/v2/wire/app/blobs/uploads/", auth))
        {
            location = started.Headers.Location!.ToString();
        }

        var ecrUpload = JsonDocument.Parse((await json.SendAsync(Ecr + "InitiateLayerUpload", """{"repositoryName":"wire/app"}""")).Body).RootElement.GetProperty("uploadId").GetString()!;
        return new World(key, grant, "wire/app", RegistryHttp.Digest(manifest), RegistryHttp.Digest(layer), location, ecrUpload, auth);
    }

    // ---- hostile JSON 1.1 requests ----

    private static readonly JsonNode?[] Values =
    [
        null, JsonValue.Create(true), JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1.5), JsonValue.Create(99999999999L), JsonValue.Create(""),
        JsonValue.Create("alias/aws/ecr"), JsonValue.Create("x"), JsonValue.Create(new string('a', 9000)), JsonValue.Create("not base64!"),
        new JsonArray(), new JsonArray(1, 2), new JsonArray("Decrypt", "Fly"), new JsonObject(), new JsonObject { ["a"] = 1 },
    ];

    private static Hostile JsonRequest(Random random, World world)
    {
        var (target, valid) = ValidRequests(world)[random.Next(ValidRequests(world).Count)];
        var body = (JsonObject)JsonNode.Parse(valid.ToJsonString())!;
        var mutation = random.Next(6);
        string how;
        switch (mutation)
        {
            case 0 when body.Count > 0:
            {
                var member = body.ElementAt(random.Next(body.Count)).Key;
                var value = Values[random.Next(Values.Length)];
                body[member] = value?.DeepClone();
                how = $"{member} = {value?.ToJsonString() ?? "null"}";
                break;
            }

            case 1 when body.Count > 0:
            {
                var member = body.ElementAt(random.Next(body.Count)).Key;
                body.Remove(member);
                how = $"without {member}";
                break;
            }

            default:
                how = "";
                break;
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        switch (mutation)
        {
            case 2:
            {
                // Invalid UTF-8 (or a lone surrogate's encoding) anywhere.
                var at = random.Next(bytes.Length + 1);
                byte[] junk = random.Next(3) switch { 0 => [0xFF], 1 => [0xC3], _ => [0xED, 0xA0, 0x80] };
                bytes = [.. bytes[..at], .. junk, .. bytes[at..]];
                how = $"bytes {Convert.ToHexString(junk)} at {at}";
                break;
            }

            case 3:
            {
                var at = random.Next(bytes.Length);
                bytes = bytes[..at];
                how = $"cut at {at}";
                break;
            }

            case 4:
                // A Content-Length shorter than the body: the server reads that much, the rest is not a request.
                var declared = random.Next(bytes.Length);
                return new Hostile($"{target} {Encoding.UTF8.GetString(bytes)} claiming {declared} bytes", async client =>
                {
                    var raw = await RawHttp.SendAsync(client.Port, "POST", "/", client.Sign(target, bytes[..declared]), bytes, declaredLength: declared, closeAfterSending: false);
                    return new Answer(raw.Status, raw.Body, raw.Body.Contains("\"__type\"", StringComparison.Ordinal));
                });
        }

        var description = $"{target} {how}: {Encoding.UTF8.GetString(bytes)[..Math.Min(300, bytes.Length)]}";
        return new Hostile(description, async client =>
        {
            var answer = await client.SendAsync(target, bytes);
            return new Answer(answer.StatusCode, answer.Body, answer.ErrorType is not null);
        });
    }

    private static IReadOnlyList<(string Target, JsonObject Body)> ValidRequests(World w) =>
    [
        (Kms + "CreateKey", new JsonObject { ["Description"] = "d", ["KeySpec"] = "SYMMETRIC_DEFAULT", ["Tags"] = new JsonArray(new JsonObject { ["TagKey"] = "k", ["TagValue"] = "v" }) }),
        (Kms + "CreateAlias", new JsonObject { ["AliasName"] = "alias/other", ["TargetKeyId"] = w.KeyArn }),
        (Kms + "CreateGrant", new JsonObject { ["KeyId"] = w.KeyArn, ["GranteePrincipal"] = "arn:aws:iam::740000000015:role/x", ["Operations"] = new JsonArray("Encrypt") }),
        (Kms + "RevokeGrant", new JsonObject { ["KeyId"] = w.KeyArn, ["GrantId"] = w.GrantId }),
        (Kms + "RetireGrant", new JsonObject { ["KeyId"] = w.KeyArn, ["GrantId"] = w.GrantId }),
        (Kms + "DisableKey", new JsonObject { ["KeyId"] = w.KeyArn }),
        (Kms + "ScheduleKeyDeletion", new JsonObject { ["KeyId"] = w.KeyArn, ["PendingWindowInDays"] = 7 }),
        (Kms + "PutKeyPolicy", new JsonObject { ["KeyId"] = w.KeyArn, ["PolicyName"] = "default", ["Policy"] = "{}" }),
        (Kms + "Encrypt", new JsonObject { ["KeyId"] = w.KeyArn, ["Plaintext"] = "AAEC", ["EncryptionContext"] = new JsonObject { ["a"] = "b" } }),
        (Kms + "GenerateDataKey", new JsonObject { ["KeyId"] = "alias/wire", ["NumberOfBytes"] = 32 }),
        (Ecr + "CreateRepository", new JsonObject { ["repositoryName"] = "wire/new", ["encryptionConfiguration"] = new JsonObject { ["encryptionType"] = "KMS" } }),
        (Ecr + "DeleteRepository", new JsonObject { ["repositoryName"] = w.Repository, ["force"] = true }),
        (Ecr + "PutImage", new JsonObject { ["repositoryName"] = w.Repository, ["imageManifest"] = "{}", ["imageTag"] = "v1" }),
        (Ecr + "BatchDeleteImage", new JsonObject { ["repositoryName"] = w.Repository, ["imageIds"] = new JsonArray(new JsonObject { ["imageTag"] = "v1" }) }),
        (Ecr + "UploadLayerPart", new JsonObject { ["repositoryName"] = w.Repository, ["uploadId"] = w.EcrUploadId, ["partFirstByte"] = 0, ["partLastByte"] = 2, ["layerPartBlob"] = "AAEC" }),
        (Ecr + "CompleteLayerUpload", new JsonObject { ["repositoryName"] = w.Repository, ["uploadId"] = w.EcrUploadId, ["layerDigests"] = new JsonArray("sha256:" + new string('0', 64)) }),
        (Ecr + "DescribeImages", new JsonObject { ["repositoryName"] = w.Repository, ["filter"] = new JsonObject { ["tagStatus"] = "TAGGED" } }),
    ];

    // ---- hostile registry requests ----

    private Hostile RegistryRequest(Random random, World world)
    {
        var path = random.Next(6) switch
        {
            0 => $"/v2/{world.Repository}/manifests/{Mangle(random, world.ManifestDigest)}",
            1 => $"/v2/{world.Repository}/blobs/{Mangle(random, world.BlobDigest)}",
            2 => world.UploadLocation,
            3 => $"/v2/{Mangle(random, world.Repository)}/blobs/uploads/",
            4 => $"{world.UploadLocation}?digest={Mangle(random, world.BlobDigest)}",
            _ => $"/v2/{world.Repository}/manifests/{Mangle(random, "v1")}",
        };
        var method = new[] { HttpMethod.Get, HttpMethod.Head, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Post, HttpMethod.Delete }[random.Next(6)];
        var body = random.Next(3) == 0 ? null : RandomNumberGenerator.GetBytes(random.Next(0, 64));
        var range = random.Next(3) switch { 0 => null, 1 => $"{random.Next(-5, 50)}-{random.Next(-5, 50)}", _ => new[] { "abc", "-5", "0-", "bytes 0-9/*", "9999999999999999999999-1" }[random.Next(5)] };
        var auth = world.Auth;
        if (random.Next(4) == 0)
        {
            var token = auth.Parameter!.ToCharArray();
            token[random.Next(token.Length)] = (char)random.Next(33, 127);
            auth = new AuthenticationHeaderValue("Basic", new string(token));
        }

        // Paths that would delete what the property needs are left to the accepted side (they re-baseline).
        return new Hostile($"{method} {path} range {range ?? "none"} body {body?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}", async _ =>
        {
            using var response = await RegistryHttpFor(path, method, auth, body, range);
            var text = await response.Content.ReadAsStringAsync();
            var wellFormed = method == HttpMethod.Head || response.StatusCode == HttpStatusCode.Unauthorized && text.Contains("UNAUTHORIZED", StringComparison.Ordinal)
                || (text.Contains("\"errors\"", StringComparison.Ordinal) && text.Contains("\"code\"", StringComparison.Ordinal));
            return new Answer((int)response.StatusCode, text, wellFormed);
        });

        Task<HttpResponseMessage> RegistryHttpFor(string p, HttpMethod m, AuthenticationHeaderValue a, byte[]? b, string? r) => _registry.SendAsync(m, p, a, b, contentRange: r);
    }

    private static string Mangle(Random random, string text) => random.Next(5) switch
    {
        0 => text,
        1 => text[..random.Next(text.Length)],
        2 => text + new string((char)random.Next(33, 127), random.Next(1, 4)),
        3 => text.Replace(text[random.Next(text.Length)], (char)random.Next(48, 123)),
        _ => Uri.EscapeDataString("é\u00ff/../" + text),
    };

    // ---- the tenant's state ----

    private sealed record Snapshot(string Text);

    /// <summary>
    /// The tenant's state, read without leaving a trace where possible (the inspection calls the invariant
    /// checker uses); the key policy can only be read with GetKeyPolicy, so the snapshot's own successful
    /// GetKeyPolicy events are left out of the comparison — a refused request never adds a successful one.
    /// </summary>
    private async Task<Snapshot> SnapshotAsync()
    {
        var (account, _, _) = AwsSilo.Tenant(Tenant);
        const string region = Regions.UsEast1;
        var root = CallerIdentity.Root(Regions.PartitionOf(region), account);
        var tenantRegion = GrainKeys.TenantRegion(account, region);
        var registry = silo.Grains.GetGrain<IKeyRegistryGrain>(tenantRegion);
        var text = new StringBuilder();
        foreach (var keyArn in (await registry.ListAllKeyArns()).Order(StringComparer.Ordinal))
        {
            var key = silo.Grains.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(keyArn)));
            var metadata = await key.Peek();
            text.AppendLine($"key {keyArn} {metadata?.KeyState} {metadata?.Description} {metadata?.DeletionDate}");
            if (metadata is { KeyState: not KeyState.Deleted })
            {
                text.AppendLine($"  policy {await key.GetKeyPolicy(root, keyArn)}");
            }

            foreach (var grant in (await key.GetGrantHistory()).OrderBy(g => g.Grant.GrantId, StringComparer.Ordinal))
            {
                text.AppendLine($"  grant {grant.Grant.GrantId} {grant.Status} {grant.Grant.Name} {grant.Grant.GranteePrincipal} {string.Join(',', grant.Grant.Operations)}");
            }
        }

        foreach (var alias in (await registry.ListAliases()).OrderBy(a => a.AliasName, StringComparer.Ordinal))
        {
            text.AppendLine($"alias {alias.AliasName} {alias.TargetKeyId}");
        }

        foreach (var name in (await silo.Grains.GetGrain<IRepositoryRegistryGrain>(tenantRegion).List()).Order(StringComparer.Ordinal))
        {
            var repository = await silo.Grains.GetGrain<IRepositoryGrain>(GrainKeys.Repository(account, region, name)).Inspect();
            text.AppendLine($"repository {name} {repository.Status} {repository.Incarnation} blobs {string.Join(',', repository.BlobDigests)}");
            foreach (var image in repository.Images.OrderBy(i => i.ImageDigest, StringComparer.Ordinal))
            {
                text.AppendLine($"  image {image.ImageDigest} tags {string.Join(',', image.ImageTags.Order(StringComparer.Ordinal))}");
            }
        }

        foreach (var e in (await silo.Grains.GetGrain<IAuditTrailGrain>(tenantRegion).Query(new AuditQuery())).Where(e => e.Succeeded && e.EventName != KmsOperations.GetKeyPolicy))
        {
            text.AppendLine($"event {e.Sequence} {e.EventName} {e.GrantId}");
        }

        using var health = await _health.GetFromJsonAsync<JsonDocument>(new Uri($"http://127.0.0.1:{silo.WebPort}/health"));
        text.AppendLine($"uploads {health!.RootElement.GetProperty("uploads")}");
        return new Snapshot(text.ToString());
    }

    private static string Difference(Snapshot before, Snapshot after)
    {
        var was = before.Text.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = after.Text.Split('\n').ToHashSet(StringComparer.Ordinal);
        return string.Join(Environment.NewLine, was.Except(now).Select(l => "- " + l).Concat(now.Except(was).Select(l => "+ " + l)));
    }
}
