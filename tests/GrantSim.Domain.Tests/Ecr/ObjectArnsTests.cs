using GrantSim.Aws;
using GrantSim.Ecr;

namespace GrantSim.Domain.Tests.Ecr;

public sealed class ObjectArnsTests
{
    private static readonly Guid Incarnation = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private const string Digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void For_Blob_IsInTheRegionsLayerBucket()
    {
        Assert.Equal($"arn:aws:s3:::us-east-1-grantsim-layer-bucket/{Incarnation:D}/{Digest}", ObjectArns.For(Regions.UsEast1, Incarnation, StoredObjectKind.Blob, Digest));
    }

    [Fact]
    public void For_Manifest_IsInTheRegionsManifestBucket_InItsPartition()
    {
        Assert.Equal($"arn:aws-us-gov:s3:::us-gov-west-1-grantsim-manifest-bucket/{Incarnation:D}/{Digest}",
            ObjectArns.For(Regions.UsGovWest1, Incarnation, StoredObjectKind.Manifest, Digest));
    }

    [Fact]
    public void For_ParsesBackAsAnS3ObjectArn()
    {
        var arn = Arn.Parse(ObjectArns.For(Regions.EuWest1, Incarnation, StoredObjectKind.Blob, Digest));

        Assert.Equal("s3", arn.Service);
        Assert.EndsWith(Digest, arn.Resource, StringComparison.Ordinal);
    }

    [Fact]
    public void For_AnotherIncarnation_IsAnotherObject()
    {
        Assert.NotEqual(
            ObjectArns.For(Regions.UsEast1, Incarnation, StoredObjectKind.Blob, Digest),
            ObjectArns.For(Regions.UsEast1, Guid.Parse("99999999-2222-3333-4444-555555555555"), StoredObjectKind.Blob, Digest));
    }
}
