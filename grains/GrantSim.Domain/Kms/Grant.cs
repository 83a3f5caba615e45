namespace GrantSim.Kms;

/// <summary>
/// A grant in a key's grant book. <see cref="Sequence"/> orders grants by creation (ListGrants
/// pages by it). Retired and revoked grants stay in the book with their end time, never active again.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.Grant")]
public sealed record Grant(
    [property: Id(0)] string GrantId,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string? Name,
    [property: Id(3)] DateTimeOffset CreationDate,
    [property: Id(4)] string GranteePrincipal,
    [property: Id(5)] string? RetiringPrincipal,
    [property: Id(6)] string IssuingAccount,
    [property: Id(7)] IReadOnlyList<string> Operations,
    [property: Id(8)] GrantConstraints? Constraints,
    [property: Id(9)] GrantStatus Status,
    [property: Id(10)] DateTimeOffset? EndedAt,
    [property: Id(11)] string? EndedBy)
{
    public bool IsActive => Status == GrantStatus.Active;

    public GrantListEntry ToListEntry(string keyId) =>
        new(keyId, GrantId, Name, CreationDate, GranteePrincipal, RetiringPrincipal, IssuingAccount, Operations, Constraints);

    public GrantRecord ToRecord(string keyId) => new(ToListEntry(keyId), Status, EndedAt, EndedBy);
}
