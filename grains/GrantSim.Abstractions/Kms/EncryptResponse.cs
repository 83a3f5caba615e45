namespace GrantSim.Kms;

[GenerateSerializer, Immutable, Alias("GrantSim.Kms.EncryptResponse")]
public sealed record EncryptResponse(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] CiphertextBlob);
