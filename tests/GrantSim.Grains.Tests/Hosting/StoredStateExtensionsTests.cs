using GrantSim.Hosting;

namespace GrantSim.Grains.Tests.Hosting;

public sealed class StoredStateExtensionsTests
{
    private sealed class Aliases
    {
        public Dictionary<string, string> ByName { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A grain's persistent state whose writes succeed or fail as the test says.</summary>
    private sealed class Storage<T>(T state) : IPersistentState<T>
    {
        public bool FailWrites { get; set; }

        public int Writes { get; private set; }

        public T State { get; set; } = state;

        public string? Etag => null;

        public bool RecordExists => Writes > 0;

        public Task ClearStateAsync() => Task.CompletedTask;

        public Task ReadStateAsync() => Task.CompletedTask;

        public Task WriteStateAsync()
        {
            if (FailWrites)
            {
                throw new IOException("storage is unreachable");
            }

            Writes++;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task AChangeWhoseWriteFails_IsTakenBack_SoMemoryHoldsOnlyWhatWasStored()
    {
        var storage = new Storage<Aliases>(new Aliases()) { FailWrites = true };

        await Assert.ThrowsAsync<IOException>(() => storage.ChangeAsync(s => s.ByName["alias/app"] = "key-1", s => s.ByName.Remove("alias/app")));

        Assert.Empty(storage.State.ByName);
        Assert.Equal(0, storage.Writes);
    }

    [Fact]
    public async Task AChangeWhoseWriteSucceeds_Stays()
    {
        var storage = new Storage<Aliases>(new Aliases());

        await storage.ChangeAsync(s => s.ByName["alias/app"] = "key-1", s => s.ByName.Remove("alias/app"));

        Assert.Equal("key-1", storage.State.ByName["alias/app"]);
        Assert.Equal(1, storage.Writes);
    }
}
