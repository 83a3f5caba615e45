using GrantSim.Aws;

namespace GrantSim.Kms;

/// <summary>
/// Multi-Region keys, as the KMS developer guide describes them: related keys in several Regions of one
/// partition, with the same key id (<c>mrk-…</c>) and material, so that any of them decrypts what another
/// encrypted; one is the primary, from which ReplicateKey makes replicas, and UpdatePrimaryRegion moves that
/// role. Each related key has its own policy, grants, aliases, tags and state. Pure.
/// </summary>
public static class MultiRegionRules
{
    /// <summary>A replica is made from the primary, into another Region of its partition, once per Region.</summary>
    public static void RequireReplicable(KmsKey key, MultiRegionConfiguration? family, string replicaRegion)
    {
        if (!key.MultiRegion || family is null)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} is not a multi-Region key: only multi-Region primary keys are replicated.");
        }

        if (family.PrimaryRegion != key.Region)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} is a replica key: replicate the primary key, in {family.PrimaryRegion}.");
        }

        RequireRelatedRegion(key, replicaRegion);
    }

    /// <summary>The primary role moves from the primary to one of its replicas.</summary>
    public static void RequirePrimaryMove(KmsKey key, MultiRegionConfiguration? family, string primaryRegion)
    {
        if (!key.MultiRegion || family is null)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} is not a multi-Region key.");
        }

        if (family.PrimaryRegion != key.Region)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"{key.Arn} is a replica key: call UpdatePrimaryRegion on the primary key, in {family.PrimaryRegion}.");
        }

        RequireRelatedRegion(key, primaryRegion);
        if (!family.ReplicaRegions.Contains(primaryRegion))
        {
            throw new AwsServiceException(AwsErrorCodes.NotFound, $"The multi-Region key {key.KeyId} has no replica in {primaryRegion}.");
        }
    }

    /// <summary>A primary key with replicas is not scheduled for deletion before them (GrantSim has no PendingReplicaDeletion).</summary>
    public static void RequireDeletable(KmsKey key, MultiRegionConfiguration? family)
    {
        if (family is { } f && f.PrimaryRegion == key.Region && f.ReplicaRegions.Count > 0)
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation,
                $"{key.Arn} is the primary key of a multi-Region key with replicas in {string.Join(", ", f.ReplicaRegions)}: schedule their deletion first (GrantSim does not model PendingReplicaDeletion).");
        }
    }

    /// <summary>A key decrypts its own ciphertexts, and a multi-Region key those of any related key (same account and id).</summary>
    public static bool MayDecrypt(KmsKey key, string ciphertextKeyArn)
    {
        if (ciphertextKeyArn == key.Arn)
        {
            return true;
        }

        return key.MultiRegion && Arn.TryParse(ciphertextKeyArn, out var arn) && arn.IsKmsKey && arn.KeyId == key.KeyId && arn.Account == key.Account
            && arn.Partition == Regions.PartitionOf(key.Region);
    }

    private static void RequireRelatedRegion(KmsKey key, string region)
    {
        if (!Regions.IsKnown(region))
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"1 validation error detected: Value '{region}' is not a Region of any partition GrantSim simulates.");
        }

        if (Regions.PartitionOf(region) != Regions.PartitionOf(key.Region))
        {
            throw new AwsServiceException(AwsErrorCodes.UnsupportedOperation, $"Related multi-Region keys share a partition: {region} is not in {Regions.PartitionOf(key.Region)}.");
        }

        if (region == key.Region)
        {
            throw new AwsServiceException(AwsErrorCodes.Validation, $"{region} is the Region of {key.Arn} itself.");
        }
    }
}
