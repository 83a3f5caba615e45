namespace GrantSim.Audit;

/// <summary>CloudTrail's userIdentity: the principal, its type and account, and the service that acted for it.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Audit.AuditUserIdentity")]
public sealed record AuditUserIdentity(
    [property: Id(0)] string Type,
    [property: Id(1)] string Principal,
    [property: Id(2)] string? AccountId,
    [property: Id(3)] string? InvokedBy);
