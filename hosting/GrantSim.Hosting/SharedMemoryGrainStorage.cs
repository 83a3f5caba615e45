using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace GrantSim.Hosting;

/// <summary>
/// The records of <see cref="SharedMemoryGrainStorage"/>: one instance shared by several silos in one
/// process, so that their grain state outlives any one of them.
/// </summary>
public sealed class SharedMemoryGrainStore
{
    internal ConcurrentDictionary<string, (byte[] Data, string ETag)> Records { get; } = new();

    public int Count => Records.Count;
}

/// <summary>
/// Grain storage that outlives any one silo: every in-process silo given the same
/// <see cref="SharedMemoryGrainStore"/> reads and writes the same records. Orleans' memory storage
/// keeps state in grains that die with their silo, which would make a silo crash lose acknowledged
/// work; this is the in-process stand-in for Redis (the chaos client's embedded cluster, the model
/// suite's test cluster). State is stored serialized (so no silo shares an object with another),
/// with an ETag for optimistic concurrency.
/// </summary>
public sealed class SharedMemoryGrainStorage(SharedMemoryGrainStore store, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.Records.TryGetValue(Key(stateName, grainId), out var record))
        {
            grainState.State = serializer.Deserialize<T>(record.Data);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var next = (serializer.SerializeToArray(grainState.State), Guid.NewGuid().ToString("N"));
        var written = grainState.ETag is null
            ? store.Records.TryAdd(key, next)
            : store.Records.TryGetValue(key, out var current) && current.ETag == grainState.ETag && store.Records.TryUpdate(key, next, current);
        if (!written)
        {
            throw new InconsistentStateException($"The stored ETag of {key} is not {grainState.ETag}.");
        }

        grainState.ETag = next.Item2;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.Records.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}

public static class SharedMemoryGrainStorageExtensions
{
    /// <summary>Grain storage in <paramref name="store"/>, shared with every other silo of this process given the same store; reminders in memory.</summary>
    public static ISiloBuilder AddGrantSimSharedMemoryStorage(this ISiloBuilder builder, SharedMemoryGrainStore store)
    {
        builder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default, (services, _) => new SharedMemoryGrainStorage(store, services.GetRequiredService<Serializer>()));
        return builder.UseInMemoryReminderService();
    }
}
