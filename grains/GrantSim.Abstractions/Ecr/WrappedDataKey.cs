namespace GrantSim.Ecr;

/// <summary>
/// A data key as stored beside an object: encrypted by KMS (<see cref="KmsKeyArn"/> set, the
/// bytes are a KMS CiphertextBlob) or by the storage-managed key (<see cref="KmsKeyArn"/> null).
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.WrappedDataKey")]
public sealed record WrappedDataKey(
    [property: Id(0)] byte[] Ciphertext,
    [property: Id(1)] string? KmsKeyArn);
