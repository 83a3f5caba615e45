namespace GrantSim.Model.Tests.Runner;

/// <summary>What the cluster answered: the outcome compared with the model, and ids learned for binding symbols.</summary>
public sealed record RealResult(string Outcome, string? GrantId = null, string? GrantToken = null, string? KeyArn = null);
