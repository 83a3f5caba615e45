using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace GrantSim.Model.Tests.Support;

/// <summary>
/// Grain storage that outlives any one silo: every in-process silo of the test cluster shares one
/// dictionary. Orleans' memory storage keeps state in grains that die with their silo, which would
/// make a silo kill lose acknowledged work; this is the test's stand-in for Redis. State is stored
/// serialized (so no silo shares an object with another) with an ETag for optimistic concurrency.
/// </summary>
public sealed class ProcessWideGrainStorage(Serializer serializer) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (byte[] Data, string ETag)> Records = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Records.TryGetValue(Key(stateName, grainId), out var record))
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
            ? Records.TryAdd(key, next)
            : Records.TryGetValue(key, out var current) && current.ETag == grainState.ETag && Records.TryUpdate(key, next, current);
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
        Records.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
