namespace GrantSim.Audit;

/// <summary>
/// Group commit for one grain's audit records. A record is appended at once when nothing is being
/// appended; records that arrive while an append is in flight wait and go together in the next
/// one. Each caller's task completes only when its own record is stored, so a call still answers
/// after its record is in the trail, but a busy key makes one trail append per batch, not per call.
/// Not thread-safe: it lives in one grain activation, whose turns never run in parallel.
/// </summary>
public sealed class AuditBatcher(AuditWriter writer)
{
    private List<(AuditEvent Event, TaskCompletionSource Stored)> _waiting = [];
    private bool _appending;

    public Task Record(AuditEvent e)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((e, stored));
        if (!_appending)
        {
            _appending = true;
            _ = AppendWaitingAsync();
        }

        return stored.Task;
    }

    private async Task AppendWaitingAsync()
    {
        try
        {
            while (_waiting.Count > 0)
            {
                var batch = _waiting;
                _waiting = [];
                try
                {
                    await writer.Record(batch.Select(b => b.Event).ToArray());
                    batch.ForEach(b => b.Stored.TrySetResult());
                }
                catch (Exception error)
                {
                    batch.ForEach(b => b.Stored.TrySetException(error));
                }
            }
        }
        finally
        {
            _appending = false;
        }
    }
}
