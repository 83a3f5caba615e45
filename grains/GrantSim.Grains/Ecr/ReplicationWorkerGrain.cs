using GrantSim.Aws;
using GrantSim.Grains;
using Microsoft.Extensions.Logging;

namespace GrantSim.Ecr;

/// <summary>
/// Delivers one source repository's outbox: asks the repository for each replication's image (decrypted through the
/// source's grants), hands it to the destination repository (which seals it through its own), and tells the source what
/// came of it. Calls on it are serialized, so one repository's deliveries never race each other.
/// </summary>
public sealed class ReplicationWorkerGrain(ILogger<ReplicationWorkerGrain> logger) : Grain, IReplicationWorkerGrain
{
    public Task Kick() => Drain();

    public async Task<int> Drain()
    {
        var key = this.GetPrimaryKeyString();
        var (account, _, name) = GrainKeys.Split(key);
        var source = GrainFactory.GetGrain<IRepositoryReplicationGrain>(key);
        foreach (var id in await source.PendingReplications())
        {
            string? errorCode = null;
            try
            {
                var replica = await source.PrepareReplica(id);
                if (replica is null)
                {
                    continue;
                }

                var destination = GrainFactory.GetGrain<IRepositoryReplicationGrain>(
                    GrainKeys.Repository(replica.Destination.RegistryId, replica.Destination.Region, name));
                var replicator = RegistryPolicies.ReplicationRole(Regions.PartitionOf(replica.Destination.Region), account);
                await destination.ReceiveReplica(replicator, replica);
            }
            catch (AwsServiceException error)
            {
                errorCode = error.ErrorCode;
            }
            catch (Exception error) when (error is TimeoutException or OrleansException)
            {
                // A silo died or a call timed out mid-delivery: it stays in progress, and the next delivery repeats it.
                ReplicationLog.DeliveryInterrupted(logger, key, id, error.GetType().Name);
                continue;
            }

            await source.RecordReplicationOutcome(id, errorCode);
        }

        return (await source.PendingReplications()).Count;
    }
}
