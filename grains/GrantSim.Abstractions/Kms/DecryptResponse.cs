namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.DecryptResponse")]
public sealed record DecryptResponse(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] Plaintext);
