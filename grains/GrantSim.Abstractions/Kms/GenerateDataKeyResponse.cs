namespace GrantSim.Kms;

/// <summary>The plaintext data key (null for GenerateDataKeyWithoutPlaintext) and the same key encrypted under the KMS key.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.GenerateDataKeyResponse")]
public sealed record GenerateDataKeyResponse(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] CiphertextBlob,
    [property: Id(2)] byte[]? Plaintext);
