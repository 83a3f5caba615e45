using GrantSim.Identity;

namespace GrantSim.Iam;

/// <summary>
/// One authorization question: may <see cref="Caller"/> perform <see cref="Action"/> (e.g.
/// <c>kms:Decrypt</c>) on <see cref="Resource"/> (an ARN), given the request's condition keys?
/// Condition key names compare case-insensitively, as in IAM.
/// </summary>
public sealed record AuthorizationRequest(
    CallerIdentity Caller,
    string Action,
    string Resource,
    IReadOnlyDictionary<string, string> Context)
{
    /// <summary>Multivalued condition keys (such as <c>kms:ResourceAliases</c>), tested with the set operators ForAnyValue and ForAllValues.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> MultiValued { get; init; } = NoMultiValued;

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoMultiValued = new Dictionary<string, IReadOnlyList<string>>();
}
