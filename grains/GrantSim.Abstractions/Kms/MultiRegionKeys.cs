using System.Text.RegularExpressions;

namespace GrantSim.Kms;

/// <summary>A multi-Region key family: which Region holds the primary key and which hold replicas (DescribeKey's MultiRegionConfiguration).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.MultiRegionConfiguration")]
public sealed record MultiRegionConfiguration(
    [property: Id(0)] string PrimaryRegion,
    [property: Id(1)] IReadOnlyList<string> ReplicaRegions);

/// <summary>ReplicateKey: the replica's Region and, optionally, its own policy, description and tags.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ReplicateKeyRequest")]
public sealed record ReplicateKeyRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string ReplicaRegion,
    [property: Id(2)] string? Policy = null,
    [property: Id(3)] string? Description = null,
    [property: Id(4)] IReadOnlyList<KeyTag>? Tags = null);

/// <summary>Multi-Region key ids: <c>mrk-</c> and 32 hexadecimal digits, the same in every Region of the family.</summary>
public static partial class MultiRegionKeys
{
    public const string Prefix = "mrk-";

    [GeneratedRegex(@"\Amrk-[0-9a-f]{32}\z")]
    private static partial Regex IdPattern();

    public static bool IsId(string keyId) => IdPattern().IsMatch(keyId);

    public static string NewId() => Prefix + Guid.NewGuid().ToString("N");
}
