using System.Text;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Cluster.Tests.Support;
using GrantSim.Crypto;
using GrantSim.Ecr;

namespace GrantSim.Cluster.Tests.Ecr;

/// <summary>Images as tools push them, on the cluster: manifest lists, tags in push order, ECR's sizes, pull times, layer downloads.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ImagesTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AnIndexOfTwoImages_IsPushedAfterThem_DescribedAsTheLargest_AndProtectsThemFromDeletion()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("multi");
        var amd64 = await tenant.PushImageAsync("multi", "amd64");
        var arm64 = await tenant.PushImageAsync("multi", "arm64");
        var index = Index(MediaTypes.OciIndex, amd64.ManifestDigest, arm64.ManifestDigest);

        var missing = await Assert.ThrowsAsync<AwsServiceException>(() =>
            tenant.EcrApi.PutImage(tenant.Ci, "multi", Index(MediaTypes.OciIndex, amd64.ManifestDigest, ContentDigest.Sha256("absent"u8)), MediaTypes.OciIndex, "broken"));
        Assert.Equal(AwsErrorCodes.ReferencedImagesNotFound, missing.ErrorCode);

        var pushed = await tenant.EcrApi.PutImage(tenant.Ci, "multi", index, MediaTypes.OciIndex, "v1");
        var pulled = await tenant.EcrApi.GetImage(tenant.Reader, "multi", new ImageIdentifier(ImageTag: "v1"));
        Assert.Equal(index, pulled.Content);
        Assert.Equal(MediaTypes.OciIndex, pulled.MediaType);

        var described = (await tenant.EcrApi.DescribeImages(tenant.Ci, "multi")).ToDictionary(i => i.ImageDigest);
        Assert.Equal(3, described.Count);
        var sizes = new[] { amd64, arm64 }.Select(i => i.Blobs.Take(2).Sum(b => (long)b.Content.Length)).ToArray();
        Assert.Equal(sizes[0], described[amd64.ManifestDigest].ImageSizeInBytes);
        Assert.Equal(sizes.Max(), described[pushed.ImageDigest].ImageSizeInBytes);
        Assert.Equal(MediaTypes.OciConfig, described[amd64.ManifestDigest].ArtifactMediaType);
        Assert.Null(described[pushed.ImageDigest].ArtifactMediaType);

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => tenant.EcrApi.DeleteImage(tenant.Ci, "multi", new ImageIdentifier(amd64.ManifestDigest)));
        Assert.Equal(ImageRules.ReferencedByManifestList, refused.ErrorCode);
        await tenant.PullAndVerifyAsync("multi", amd64);

        await tenant.EcrApi.DeleteImage(tenant.Ci, "multi", new ImageIdentifier(ImageTag: "v1"));
        await tenant.EcrApi.DeleteImage(tenant.Ci, "multi", new ImageIdentifier(amd64.ManifestDigest));
        Assert.Equal([arm64.ManifestDigest], (await tenant.EcrApi.DescribeImages(tenant.Ci, "multi")).Select(i => i.ImageDigest));
    }

    [Fact]
    public async Task Tags_AreListedInTheOrderTheyWerePushed()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("order");
        var image = await tenant.PushImageAsync("order", "zeta");
        foreach (var tag in new[] { "alpha", "middle", "zeta2" })
        {
            await tenant.EcrApi.PutImage(tenant.Ci, "order", image.Manifest, MediaTypes.OciManifest, tag);
        }

        await tenant.EcrApi.DeleteImage(tenant.Ci, "order", new ImageIdentifier(ImageTag: "zeta"));
        await tenant.EcrApi.PutImage(tenant.Ci, "order", image.Manifest, MediaTypes.OciManifest, "zeta");

        Assert.Equal(["alpha", "middle", "zeta2", "zeta"], Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "order")).ImageTags);
        Assert.Equal(["alpha", "middle", "zeta2", "zeta"], Assert.Single(await tenant.EcrApi.ListImages(tenant.Ci, "order")).ImageTags);
    }

    [Fact]
    public async Task APull_IsRecordedOnceADay_OnTheSimulatedClock()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("pulls");
        var image = await tenant.PushImageAsync("pulls", "v1");
        Assert.Null(Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "pulls")).LastRecordedPullTime);

        var first = fixture.Clock.GetUtcNow();
        await tenant.EcrApi.GetImage(tenant.Reader, "pulls", new ImageIdentifier(ImageTag: "v1"));
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        await tenant.EcrApi.GetImage(tenant.Reader, "pulls", new ImageIdentifier(image.ManifestDigest));
        Assert.Equal(first, Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "pulls")).LastRecordedPullTime);

        fixture.Clock.Advance(ImageRules.PullRecordInterval);
        await tenant.EcrApi.GetImage(tenant.Reader, "pulls", new ImageIdentifier(ImageTag: "v1"));
        Assert.Equal(fixture.Clock.GetUtcNow(), Assert.Single(await tenant.EcrApi.DescribeImages(tenant.Ci, "pulls")).LastRecordedPullTime);
    }

    [Fact]
    public async Task AcceptedMediaTypes_RefuseAManifestOfAnotherType_WithoutOpeningIt()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("accept");
        var image = await tenant.PushImageAsync("accept", "v1");

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() =>
            tenant.EcrApi.GetImageAccepting(tenant.Reader, "accept", new ImageIdentifier(ImageTag: "v1"), [MediaTypes.DockerManifest]));
        var accepted = await tenant.EcrApi.GetImageAccepting(tenant.Reader, "accept", new ImageIdentifier(ImageTag: "v1"), [MediaTypes.DockerManifest, MediaTypes.OciManifest]);

        Assert.Equal(AwsErrorCodes.ImageNotFound, refused.ErrorCode);
        Assert.Equal(image.Manifest, accepted.Content);
    }

    [Fact]
    public async Task LocateLayer_FindsLayersOfImages_RefusesLooseAndMissingOnes()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await tenant.CreateRepositoryAsync("download");
        var image = await tenant.PushImageAsync("download", "v1");
        var loose = await tenant.EcrApi.UploadBlob(tenant.Ci, "download", "not in any image"u8.ToArray());

        var layer = await tenant.EcrApi.LocateLayer(tenant.Reader, "download", image.Blobs[0].Digest);
        var inaccessible = await Assert.ThrowsAsync<AwsServiceException>(() => tenant.EcrApi.LocateLayer(tenant.Reader, "download", loose.Digest));
        var notFound = await Assert.ThrowsAsync<AwsServiceException>(() => tenant.EcrApi.LocateLayer(tenant.Reader, "download", ContentDigest.Sha256("absent"u8)));
        var noRepository = await Assert.ThrowsAsync<AwsServiceException>(() => tenant.EcrApi.LocateLayer(tenant.Reader, "nowhere", image.Blobs[0].Digest));

        Assert.Equal(image.Blobs[0].Content.Length, layer.Size);
        Assert.Equal(AwsErrorCodes.LayerInaccessible, inaccessible.ErrorCode);
        Assert.Equal(AwsErrorCodes.LayersNotFound, notFound.ErrorCode);
        Assert.Equal(AwsErrorCodes.RepositoryNotFound, noRepository.ErrorCode);
    }

    private static byte[] Index(string mediaType, params string[] manifests) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = mediaType,
        ["manifests"] = new JsonArray(manifests.Select((digest, i) => (JsonNode)new JsonObject
        {
            ["mediaType"] = MediaTypes.OciManifest,
            ["digest"] = digest,
            ["size"] = 100,
            ["platform"] = new JsonObject { ["architecture"] = i == 0 ? "amd64" : "arm64", ["os"] = "linux" },
        }).ToArray()),
    }.ToJsonString());
}
