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
    IReadOnlyDictionary<string, string> Context);
