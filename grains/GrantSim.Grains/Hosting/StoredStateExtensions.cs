namespace GrantSim.Hosting;

/// <summary>Writes to a grain's persistent state that leave its memory as storage has it.</summary>
public static class StoredStateExtensions
{
    /// <summary>
    /// Makes <paramref name="change"/> and writes it; when the write fails, <paramref name="undo"/> takes it
    /// back, so the activation never answers from what storage refused. (A write whose answer was lost after
    /// it landed is caught by the ETag on the next write, and Orleans then reloads the activation.)
    /// </summary>
    public static async Task ChangeAsync<TState>(this IPersistentState<TState> state, Action<TState> change, Action<TState> undo)
    {
        change(state.State);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            undo(state.State);
            throw;
        }
    }
}
