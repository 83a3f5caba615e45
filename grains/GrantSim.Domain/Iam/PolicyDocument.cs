namespace GrantSim.Iam;

public sealed record PolicyDocument(IReadOnlyList<PolicyStatement> Statements)
{
    public static PolicyDocument Empty { get; } = new([]);
}
