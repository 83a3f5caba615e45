using GrantSim.Silo.Aws;

namespace GrantSim.Silo.Tests.Aws;

public sealed class RegistryRouteTests
{
    [Theory]
    [InlineData("/v2/", RegistryRouteKind.Ping, "", "")]
    [InlineData("/v2", RegistryRouteKind.Ping, "", "")]
    [InlineData("/v2/app/blobs/sha256:abc", RegistryRouteKind.Blob, "app", "sha256:abc")]
    [InlineData("/v2/team/app/blobs/uploads/", RegistryRouteKind.StartUpload, "team/app", "")]
    [InlineData("/v2/team/app/blobs/uploads", RegistryRouteKind.StartUpload, "team/app", "")]
    [InlineData("/v2/team/app/blobs/uploads/0b5d2b7e-8d0b-4b0a-9f39-1d1b2f0e6c1a", RegistryRouteKind.Upload, "team/app", "0b5d2b7e-8d0b-4b0a-9f39-1d1b2f0e6c1a")]
    [InlineData("/v2/a/manifests/blobs/manifests/v1", RegistryRouteKind.Manifest, "a/manifests/blobs", "v1")]
    [InlineData("/v2/app/manifests/sha256:abc", RegistryRouteKind.Manifest, "app", "sha256:abc")]
    [InlineData("/v2/app/tags/list", RegistryRouteKind.TagsList, "app", "")]
    [InlineData("/v2/team/tags/list", RegistryRouteKind.TagsList, "team", "")]
    [InlineData("/v2/team/app/manifests/list", RegistryRouteKind.Manifest, "team/app", "list")]
    [InlineData("/v2/team/app/referrers/sha256:abc", RegistryRouteKind.Referrers, "team/app", "sha256:abc")]
    public void Parse_FindsTheRouteByItsLastMarker(string path, RegistryRouteKind kind, string name, string reference) =>
        Assert.Equal(new RegistryRoute(kind, name, reference), RegistryRoute.Parse(path));

    [Theory]
    [InlineData("/")]
    [InlineData("/v3/app/manifests/v1")]
    [InlineData("/v2/app")]
    [InlineData("/v2/app/manifests/")]
    [InlineData("/v2/tags/list")]
    [InlineData("/v2//tags/list")]
    [InlineData("/v2//blobs/uploads/")]
    [InlineData("/v2//manifests/latest")]
    [InlineData("/v2//blobs/sha256:abc")]
    [InlineData("/v2/app/blobs/uploads/a/b")]
    [InlineData("/v2/app/referrers/")]
    public void Parse_AnythingElse_IsNoRoute(string path) => Assert.Null(RegistryRoute.Parse(path));

    [Fact]
    public void ReferenceIsDigest_OnlyWithAnAlgorithm()
    {
        Assert.True(new RegistryRoute(RegistryRouteKind.Manifest, "app", "sha256:abc").ReferenceIsDigest);
        Assert.False(new RegistryRoute(RegistryRouteKind.Manifest, "app", "latest").ReferenceIsDigest);
    }
}
