namespace GrantSim.Iam;

/// <summary>
/// What a resource (key) policy says about a request: denied outright, allowed for this principal,
/// or delegated to the caller's IAM policies (the statement names the caller's account root,
/// which is how KMS "enables IAM policies").
/// </summary>
public readonly record struct ResourcePolicyDecision(bool ExplicitDeny, bool Allowed, bool DelegatedToIam);
