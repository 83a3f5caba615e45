namespace GrantSim.Iam;

public sealed record PolicyDocument(IReadOnlyList<PolicyStatement> Statements)
{
    public static PolicyDocument Empty { get; } = new([]);

    /// <summary>Whether any statement tests <paramref name="conditionKey"/> (so a caller fetches it only for policies that need it).</summary>
    public bool Tests(string conditionKey)
    {
        foreach (var statement in Statements)
        {
            foreach (var condition in statement.Conditions)
            {
                if (string.Equals(condition.Key, conditionKey, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
