using GrantSim.Identity;

namespace GrantSim.Kms;

/// <summary>
/// One KMS call to authorize: who, which operation, the encryption context (for conditions and
/// grant constraints), whether an AWS service creates a grant for its own resource, the grants
/// whose tokens were presented, and for CreateGrant the operations the new grant asks for.
/// </summary>
public sealed record KmsCall(
    CallerIdentity Caller,
    string Operation,
    EncryptionContext? EncryptionContext = null,
    bool GrantIsForAwsResource = false,
    IReadOnlySet<string>? PresentedGrantIds = null,
    IReadOnlyList<string>? RequestedGrantOperations = null)
{
    /// <summary>The key's alias names, for kms:ResourceAliases; fetched only when a policy tests that key.</summary>
    public IReadOnlyList<string>? ResourceAliases { get; init; }
}
