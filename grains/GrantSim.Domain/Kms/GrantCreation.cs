namespace GrantSim.Kms;

public sealed record GrantCreation(GrantBook Book, Grant Grant, bool IsNew);
