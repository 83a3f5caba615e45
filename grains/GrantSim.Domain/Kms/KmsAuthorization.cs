namespace GrantSim.Kms;

/// <summary>How a call was allowed: by policy, or by a grant (recorded in the trail as the grant used).</summary>
public sealed record KmsAuthorization(string? GrantId)
{
    public static KmsAuthorization ByPolicy { get; } = new((string?)null);
}
