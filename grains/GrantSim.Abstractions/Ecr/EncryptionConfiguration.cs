namespace GrantSim.Ecr;

/// <summary>
/// A repository's encryption configuration. On a CreateRepository request <see cref="KmsKey"/> may
/// be a key id, key ARN, alias name or alias ARN; on a created repository it is the resolved key ARN.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.EncryptionConfiguration")]
public sealed record EncryptionConfiguration(
    [property: Id(0)] EncryptionType EncryptionType,
    [property: Id(1)] string? KmsKey = null)
{
    public static EncryptionConfiguration Aes256 { get; } = new(EncryptionType.Aes256);

    public override string ToString() =>
        KmsKey is null ? EncryptionType.ToWire() : $"{EncryptionType.ToWire()} ({KmsKey})";
}
