namespace GrantSim.Client.Histories;

/// <summary>What a history records of an operation when it is invoked: on which object, which operation, with what argument.</summary>
public sealed record HistoryCall(string Partition, string Operation, string Argument);
