using GrantSim.Aws;

namespace GrantSim.Ecr;

/// <summary>
/// Where ECR keeps a repository's objects, as S3 object ARNs (the <c>aws:s3:arn</c> of the
/// encryption context): a layer bucket and a manifest bucket per region, then the repository's
/// incarnation id (so a re-created repository never reads its predecessor's objects), then the digest.
/// </summary>
public static class ObjectArns
{
    public static string For(string region, Guid incarnation, StoredObjectKind kind, string digest)
    {
        var bucket = kind == StoredObjectKind.Manifest ? $"{region}-grantsim-manifest-bucket" : $"{region}-grantsim-layer-bucket";
        return Arn.S3Object(Regions.PartitionOf(region), bucket, $"{incarnation:D}/{digest}").ToString();
    }
}
