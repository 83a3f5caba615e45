using GrantSim.Kms;

namespace GrantSim.Grains;

/// <summary>
/// One multi-Region key family, keyed <c>account/mrk-id</c>: the linearization point for which Region is the
/// primary and which are replicas, so ReplicateKey and UpdatePrimaryRegion never race. The keys themselves
/// are ordinary key grains, one per Region, sharing their material.
/// </summary>
[Alias("GrantSim.IMultiRegionKeyGrain")]
public interface IMultiRegionKeyGrain : IGrainWithStringKey
{
    /// <summary>Records the primary key's Region when the family is created (idempotent).</summary>
    [Alias("Create")] Task<MultiRegionConfiguration> Create(string primaryRegion);

    [Alias("Describe")] Task<MultiRegionConfiguration?> Describe();

    /// <summary>Adds a replica Region; AlreadyExistsException when the family has a key there.</summary>
    [Alias("AddReplica")] Task AddReplica(string region);

    /// <summary>Removes a replica Region (a failed replication, or a replica scheduled for deletion).</summary>
    [Alias("RemoveReplica")] Task RemoveReplica(string region);

    /// <summary>Makes a replica the primary; the old primary becomes a replica.</summary>
    [Alias("UpdatePrimary")] Task UpdatePrimary(string region);
}
