namespace GrantSim.Client.Histories;

/// <summary>
/// A sequential model of one object (a repository, a key) for the linearizability checker: which
/// states an operation may leave, given the outcome it was seen to have. No state means the outcome
/// is impossible from there; several mean the outcome does not tell (an unknown outcome: it may have
/// taken effect or not). States compare by value: the checker remembers which it has tried.
/// </summary>
public interface IHistoryModel<TState>
    where TState : notnull
{
    TState Initial { get; }

    IEnumerable<TState> Step(TState state, HistoryEntry operation);

    string Describe(TState state);
}
