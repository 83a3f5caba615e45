namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.EncryptionContextPair")]
public readonly record struct EncryptionContextPair([property: Id(0)] string Key, [property: Id(1)] string Value);
