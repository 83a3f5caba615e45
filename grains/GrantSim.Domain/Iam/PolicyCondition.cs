namespace GrantSim.Iam;

/// <summary>One condition test, e.g. <c>StringEquals kms:ViaService = [ecr.us-east-1.amazonaws.com]</c>.</summary>
public sealed record PolicyCondition(string Operator, string Key, IReadOnlyList<string> Values);
