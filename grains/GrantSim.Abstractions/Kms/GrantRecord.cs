namespace GrantSim.Kms;

/// <summary>
/// A grant with its whole history, as the key grain keeps it. KMS forgets retired and revoked
/// grants; the simulation keeps them (never their tokens) so that invariants and the audit trail
/// can be checked against them. Not part of any AWS API.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.GrantRecord")]
public sealed record GrantRecord(
    [property: Id(0)] GrantListEntry Grant,
    [property: Id(1)] GrantStatus Status,
    [property: Id(2)] DateTimeOffset? EndedAt,
    [property: Id(3)] string? EndedBy);
