namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyListEntry")]
public sealed record KeyListEntry(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string KeyArn);
