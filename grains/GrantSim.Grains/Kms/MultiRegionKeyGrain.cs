using GrantSim.Aws;
using GrantSim.Grains;
using GrantSim.Hosting;

namespace GrantSim.Kms;

[GenerateSerializer, Alias("GrantSim.Kms.MultiRegionKeyState")]
public sealed class MultiRegionKeyState
{
    [Id(0)] public string? PrimaryRegion { get; set; }

    [Id(1)] public SortedSet<string> ReplicaRegions { get; set; } = new(StringComparer.Ordinal);
}

/// <inheritdoc cref="IMultiRegionKeyGrain"/>
public sealed class MultiRegionKeyGrain(
    [PersistentState("multi-region-key", StorageNames.Default)] IPersistentState<MultiRegionKeyState> state) : Grain, IMultiRegionKeyGrain
{
    public async Task<MultiRegionConfiguration> Create(string primaryRegion)
    {
        if (state.State.PrimaryRegion is null)
        {
            await state.ChangeAsync(s => s.PrimaryRegion = primaryRegion, s => s.PrimaryRegion = null);
        }

        return Configuration()!;
    }

    public Task<MultiRegionConfiguration?> Describe() => Task.FromResult(Configuration());

    public async Task AddReplica(string region)
    {
        if (state.State.PrimaryRegion == region || state.State.ReplicaRegions.Contains(region))
        {
            throw new AwsServiceException(AwsErrorCodes.AlreadyExists, $"The multi-Region key {this.GetPrimaryKeyString()} already has a key in {region}.");
        }

        await state.ChangeAsync(s => s.ReplicaRegions.Add(region), s => s.ReplicaRegions.Remove(region));
    }

    public async Task RemoveReplica(string region)
    {
        if (state.State.ReplicaRegions.Contains(region))
        {
            await state.ChangeAsync(s => s.ReplicaRegions.Remove(region), s => s.ReplicaRegions.Add(region));
        }
    }

    public async Task UpdatePrimary(string region)
    {
        var old = state.State.PrimaryRegion ?? throw new InvalidOperationException("The family has no primary key.");
        if (!state.State.ReplicaRegions.Contains(region))
        {
            throw new AwsServiceException(AwsErrorCodes.NotFound, $"The multi-Region key has no replica in {region}.");
        }

        await state.ChangeAsync(
            s =>
            {
                s.ReplicaRegions.Remove(region);
                s.ReplicaRegions.Add(old);
                s.PrimaryRegion = region;
            },
            s =>
            {
                s.ReplicaRegions.Remove(old);
                s.ReplicaRegions.Add(region);
                s.PrimaryRegion = old;
            });
    }

    private MultiRegionConfiguration? Configuration() =>
        state.State.PrimaryRegion is { } primary ? new MultiRegionConfiguration(primary, [.. state.State.ReplicaRegions]) : null;
}
