using GrantSim.Crypto;
using GrantSim.Grains;
using GrantSim.Hosting;

namespace GrantSim.Ecr;

[GenerateSerializer, Alias("GrantSim.Ecr.StorageKeyState")]
public sealed class StorageKeyState
{
    [Id(0)] public byte[]? MasterKey { get; set; }
}

/// <summary>The storage-managed master key of an account+region, made on first use.</summary>
public sealed class StorageKeyGrain(
    [PersistentState("storage-key", StorageNames.Default)] IPersistentState<StorageKeyState> state) : Grain, IStorageKeyGrain
{
    public async Task<byte[]> GetMasterKey()
    {
        if (state.State.MasterKey is null)
        {
            state.State.MasterKey = AesGcmSealer.NewKey();
            await state.WriteStateAsync();
        }

        return state.State.MasterKey;
    }
}
