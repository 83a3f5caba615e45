namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.AliasListEntry")]
public sealed record AliasListEntry(
    [property: Id(0)] string AliasName,
    [property: Id(1)] string AliasArn,
    [property: Id(2)] string TargetKeyId);
