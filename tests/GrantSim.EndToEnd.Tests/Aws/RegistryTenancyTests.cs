using System.Net;
using System.Net.Http.Headers;
using GrantSim.EndToEnd.Tests.Cluster;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>
/// The registry's tenant is the token's, and nothing else a client controls: not a forwarded host, a registryId
/// in the query, an account in the path, or any other header. (The Host header does name a registry, as ECR's
/// <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;</c> does, and the repository's policy then decides:
/// <c>CrossAccountRegistryTests</c>.) Two tenants with a repository of the same name; one pushes; the other,
/// with every such spoof, reads nothing of it and writes only into its own.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RegistryTenancyTests(AwsSilo silo) : IDisposable
{
    private const int Victim = 12;
    private const int Intruder = 16;
    private const string Repository = "tenancy/app";

    private readonly RegistryHttp _registry = new(silo);

    public static TheoryData<string> Spoofs => new()
    {
        "X-Forwarded-Host", "Forwarded", "X-Amz-Account-Id", "X-Registry-Id", "registryId query", "account in the path",
    };

    [Theory]
    [MemberData(nameof(Spoofs))]
    public async Task ATokenOfOneTenant_ReachesOnlyItsOwnRepository_WhateverTheRequestSaysOfAnother(string spoof)
    {
        await silo.StartAsync();
        var victim = AwsSilo.Tenant(Victim).Account;
        using var victimJson = new AwsJsonClient(silo, Victim);
        using var intruderJson = new AwsJsonClient(silo, Intruder);
        var victimAuth = await RegistryHttp.BasicAuthAsync(victimJson);
        var intruderAuth = await RegistryHttp.BasicAuthAsync(intruderJson);
        var tag = "v-" + spoof.Replace(' ', '-').ToLowerInvariant();
        var pushed = await PushAsync(await EnsureRepositoryAsync(victimJson), victimAuth, tag, "victim " + spoof);
        await EnsureRepositoryAsync(intruderJson);

        var (path, headers) = Spoof(spoof, victim);
        using (var read = await _registry.SendAsync(HttpMethod.Get, $"/v2/{path}/manifests/{tag}{Query(spoof, victim)}", intruderAuth, headers: headers))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        using (var head = await _registry.SendAsync(HttpMethod.Head, $"/v2/{path}/blobs/{pushed.ConfigDigest}{Query(spoof, victim)}", intruderAuth, headers: headers))
        {
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        using (var byDigest = await _registry.SendAsync(HttpMethod.Get, $"/v2/{path}/manifests/{pushed.ManifestDigest}{Query(spoof, victim)}", intruderAuth, headers: headers))
        {
            Assert.Equal(HttpStatusCode.NotFound, byDigest.StatusCode);
        }

        // What the intruder writes, with the same spoof, lands in its own repository (or nowhere), never in the victim's.
        var written = "intruder-" + tag;
        if (spoof != "account in the path")
        {
            await PushAsync(Repository, intruderAuth, written, "intruder " + spoof, headers, Query(spoof, victim));
            using var own = await _registry.SendAsync(HttpMethod.Get, $"/v2/{Repository}/manifests/{written}", intruderAuth);
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        using (var victims = await _registry.SendAsync(HttpMethod.Get, $"/v2/{Repository}/manifests/{written}", victimAuth))
        {
            Assert.Equal(HttpStatusCode.NotFound, victims.StatusCode);
        }

        using (var stillThere = await _registry.SendAsync(HttpMethod.Get, $"/v2/{Repository}/manifests/{tag}", victimAuth))
        {
            Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
            Assert.Equal(pushed.Manifest, await stillThere.Content.ReadAsByteArrayAsync());
        }
    }

    private static (string Path, IReadOnlyDictionary<string, string>? Headers) Spoof(string spoof, string victim) => spoof switch
    {
        "X-Forwarded-Host" => (Repository, new Dictionary<string, string> { ["X-Forwarded-Host"] = $"{victim}.dkr.ecr.us-east-1.amazonaws.com" }),
        "Forwarded" => (Repository, new Dictionary<string, string> { ["Forwarded"] = $"host={victim}.dkr.ecr.us-east-1.amazonaws.com" }),
        "X-Amz-Account-Id" => (Repository, new Dictionary<string, string> { ["X-Amz-Account-Id"] = victim }),
        "X-Registry-Id" => (Repository, new Dictionary<string, string> { ["X-Registry-Id"] = victim }),
        "registryId query" => (Repository, null),
        "account in the path" => ($"{victim}/{Repository}", null),
        _ => throw new ArgumentOutOfRangeException(nameof(spoof)),
    };

    private static string Query(string spoof, string victim) => spoof == "registryId query" ? $"?registryId={victim}" : "";

    private static async Task<string> EnsureRepositoryAsync(AwsJsonClient json)
    {
        var created = await json.SendAsync("AmazonEC2ContainerRegistry_V20150921.CreateRepository", $$"""{"repositoryName":"{{Repository}}"}""");
        Assert.True(created.StatusCode == 200 || created.Body.Contains("RepositoryAlreadyExistsException", StringComparison.Ordinal), created.Body);
        return Repository;
    }

    private async Task<(string ConfigDigest, string ManifestDigest, byte[] Manifest)> PushAsync(
        string repository, AuthenticationHeaderValue auth, string tag, string content, IReadOnlyDictionary<string, string>? headers = null, string query = "")
    {
        var config = System.Text.Encoding.UTF8.GetBytes($$"""{"os":"linux","comment":"{{content}}"}""");
        var configDigest = RegistryHttp.Digest(config);
        var separator = query.Length == 0 ? "?" : query + "&";
        using (var upload = await _registry.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/{separator}digest={configDigest}", auth, config, headers: headers))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        var manifest = RegistryHttp.Manifest(configDigest, config.Length);
        using (var put = await _registry.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{tag}{query}", auth, manifest, "application/vnd.oci.image.manifest.v1+json", headers: headers))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        return (configDigest, RegistryHttp.Digest(manifest), manifest);
    }

    public void Dispose() => _registry.Dispose();
}
