namespace GrantSim.Kms;

/// <summary>
/// A KMS key's persisted state. <see cref="Material"/> (256 bits) never leaves the key grain;
/// <see cref="TokenSecret"/> authenticates the grant tokens the key issues. Both are wiped when
/// the key is deleted. Transitions live in <see cref="KeyLifecycle"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KmsKey")]
public sealed record KmsKey(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Account,
    [property: Id(2)] string Region,
    [property: Id(3)] KeyManager Manager,
    [property: Id(4)] string Description,
    [property: Id(5)] string Policy,
    [property: Id(6)] KeyState State,
    [property: Id(7)] DateTimeOffset CreationDate,
    [property: Id(8)] DateTimeOffset? DeletionDate,
    [property: Id(9)] int? PendingWindowInDays,
    [property: Id(10)] byte[] Material,
    [property: Id(11)] byte[] TokenSecret)
{
    public string Arn => Aws.Arn.KmsKey(Region, Account, KeyId).ToString();

    public KeyMetadata ToMetadata() =>
        new(KeyId, Arn, Account, Region, Manager, State, CreationDate, DeletionDate, PendingWindowInDays, Description);
}
