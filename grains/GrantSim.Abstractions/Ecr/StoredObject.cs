namespace GrantSim.Ecr;

/// <summary>
/// An object at rest: the sealed content (AES-256-GCM: nonce, ciphertext, tag) and its data key,
/// encrypted. For KMS_DSSE <see cref="OuterKey"/> is the independent second layer's
/// storage-managed data key; the sealed content is then encrypted twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.StoredObject")]
public sealed record StoredObject(
    [property: Id(0)] string ObjectArn,
    [property: Id(1)] string Digest,
    [property: Id(2)] long Size,
    [property: Id(3)] StoredObjectKind Kind,
    [property: Id(4)] byte[] Sealed,
    [property: Id(5)] WrappedDataKey DataKey,
    [property: Id(6)] WrappedDataKey? OuterKey);
