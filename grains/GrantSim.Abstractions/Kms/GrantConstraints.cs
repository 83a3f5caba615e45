namespace GrantSim.Kms;

/// <summary>
/// Grant constraints. <see cref="EncryptionContextEquals"/>: the request's context must be exactly
/// this; <see cref="EncryptionContextSubset"/>: the request's context must hold every pair (it may
/// hold more). They apply only to operations that take an encryption context.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.GrantConstraints")]
public sealed record GrantConstraints(
    [property: Id(0)] EncryptionContext? EncryptionContextSubset = null,
    [property: Id(1)] EncryptionContext? EncryptionContextEquals = null)
{
    public override string ToString() =>
        (EncryptionContextSubset is null ? "" : $"EncryptionContextSubset {EncryptionContextSubset}")
        + (EncryptionContextEquals is null ? "" : $"EncryptionContextEquals {EncryptionContextEquals}");
}
