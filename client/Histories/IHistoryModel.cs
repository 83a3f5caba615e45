namespace GrantSim.Client.Histories;

/// <summary>
/// A sequential model of one object (a repository, a key) for the linearizability checker: which
/// states an operation may leave, given the outcome it was seen to have. No state means the outcome
/// is impossible from there; several mean the outcome does not tell. An operation with an unknown
/// outcome yields only the state it leaves by taking effect: that it did not is the checker's leaving
/// it out. States compare by value: the checker remembers which it has tried.
/// </summary>
public interface IHistoryModel<TState>
    where TState : notnull
{
    TState Initial { get; }

    IEnumerable<TState> Step(TState state, HistoryEntry operation);

    string Describe(TState state);
}
