using GrantSim.Aws;
using GrantSim.Kms;

namespace GrantSim.Client.Histories;

/// <summary>
/// The sequential KMS key state machine: Enabled ⇄ Disabled by Enable/DisableKey, either to
/// PendingDeletion by ScheduleKeyDeletion, back to Disabled by CancelKeyDeletion, and from
/// PendingDeletion to Deleted whenever the simulated clock passes the window (at any moment, as far
/// as the history can tell). A deleted key answers NotFoundException to everything.
/// </summary>
public sealed class KeyModel : IHistoryModel<KeyState>
{
    public static KeyModel Instance { get; } = new();

    public KeyState Initial => KeyState.Enabled;

    public string Describe(KeyState state) => state.ToString();

    public IEnumerable<KeyState> Step(KeyState state, HistoryEntry operation)
    {
        // The clock may have ended the deletion window before this operation.
        var froms = state == KeyState.PendingDeletion ? new[] { KeyState.PendingDeletion, KeyState.Deleted } : [state];
        foreach (var from in froms)
        {
            if (operation.Operation == HistoryOperations.Observe)
            {
                if (from.ToString() == operation.Argument)
                {
                    yield return from;
                }

                continue;
            }

            var (expected, after) = Expect(from, operation.Operation);
            if (operation.IsUnknown)
            {
                // Placed only where it takes effect; that it did not is the checker's leaving it out.
                if (after != from)
                {
                    yield return after;
                }
            }
            else if (operation.Outcome == expected)
            {
                yield return after;
            }
            else if (operation.Outcome is not (HistoryEntry.Ok or AwsErrorCodes.KmsInvalidState or AwsErrorCodes.NotFound))
            {
                // Throttled, access denied, an invalid deletion window: nothing changed, and it says nothing of the state.
                yield return from;
            }
        }
    }

    private static (string Outcome, KeyState After) Expect(KeyState state, string operation) => (state, operation) switch
    {
        (KeyState.Deleted, _) => (AwsErrorCodes.NotFound, KeyState.Deleted),
        (KeyState.PendingDeletion, HistoryOperations.CancelKeyDeletion) => (HistoryEntry.Ok, KeyState.Disabled),
        (KeyState.PendingDeletion, _) => (AwsErrorCodes.KmsInvalidState, KeyState.PendingDeletion),
        (_, HistoryOperations.CancelKeyDeletion) => (AwsErrorCodes.KmsInvalidState, state),
        (_, HistoryOperations.EnableKey) => (HistoryEntry.Ok, KeyState.Enabled),
        (_, HistoryOperations.DisableKey) => (HistoryEntry.Ok, KeyState.Disabled),
        (_, HistoryOperations.ScheduleKeyDeletion) => (HistoryEntry.Ok, KeyState.PendingDeletion),
        _ => throw new ArgumentException($"'{operation}' is not a key operation.", nameof(operation)),
    };
}
