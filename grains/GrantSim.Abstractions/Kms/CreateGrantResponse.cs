namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.CreateGrantResponse")]
public sealed record CreateGrantResponse(
    [property: Id(0)] string GrantId,
    [property: Id(1)] string GrantToken);
