using System.Collections.Frozen;

namespace GrantSim.Aws;

/// <summary>The regions GrantSim simulates, and the facts that follow from a region.</summary>
public static class Regions
{
    public const string UsEast1 = "us-east-1";
    public const string UsWest2 = "us-west-2";
    public const string EuWest1 = "eu-west-1";
    public const string UsGovWest1 = "us-gov-west-1";
    public const string UsGovEast1 = "us-gov-east-1";

    private static readonly FrozenDictionary<string, string> PartitionByRegion = new Dictionary<string, string>
    {
        [UsEast1] = Partition.Aws,
        [UsWest2] = Partition.Aws,
        [EuWest1] = Partition.Aws,
        [UsGovWest1] = Partition.AwsUsGov,
        [UsGovEast1] = Partition.AwsUsGov,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyList<string> All { get; } = [UsEast1, UsWest2, EuWest1, UsGovWest1, UsGovEast1];

    public static bool IsKnown(string region) => PartitionByRegion.ContainsKey(region);

    public static string PartitionOf(string region) =>
        PartitionByRegion.TryGetValue(region, out var partition)
            ? partition
            : throw new AwsServiceException(AwsErrorCodes.UnrecognizedClient, $"The region '{region}' is not simulated; use one of {string.Join(", ", All)}.");

    /// <summary>KMS_DSSE (dual-layer server-side encryption) exists only in the GovCloud regions.</summary>
    public static bool SupportsDualLayerEncryption(string region) => PartitionOf(region) == Partition.AwsUsGov;

    /// <summary>The service principal ECR uses in a region, e.g. <c>ecr.us-east-1.amazonaws.com</c>.</summary>
    public static string EcrServicePrincipal(string region) => $"ecr.{region}.amazonaws.com";
}
