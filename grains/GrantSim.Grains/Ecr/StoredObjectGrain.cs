using GrantSim.Grains;
using GrantSim.Hosting;

namespace GrantSim.Ecr;

[GenerateSerializer, Alias("GrantSim.Ecr.StoredObjectState")]
public sealed class StoredObjectState
{
    [Id(0)] public StoredObject? Object { get; set; }
}

public sealed class StoredObjectGrain(
    [PersistentState("object", StorageNames.Default)] IPersistentState<StoredObjectState> state) : Grain, IStoredObjectGrain
{
    public async Task Put(StoredObject storedObject)
    {
        state.State.Object = storedObject;
        await state.WriteStateAsync();
    }

    public Task<StoredObject?> Get() => Task.FromResult(state.State.Object);

    public async Task Delete()
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        state.State.Object = null;
        DeactivateOnIdle();
    }
}
