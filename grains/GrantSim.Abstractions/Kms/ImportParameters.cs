namespace GrantSim.Kms;

/// <summary>GetParametersForImport's answer: the wrapping public key (SubjectPublicKeyInfo, DER), the import token, and until when both serve.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ImportParameters")]
public sealed record ImportParameters(
    [property: Id(0)] string KeyArn,
    [property: Id(1)] byte[] ImportToken,
    [property: Id(2)] byte[] PublicKey,
    [property: Id(3)] DateTimeOffset ParametersValidTo);

/// <summary>ImportKeyMaterial: the material wrapped under the parameters' public key, and whether (and when) it expires.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.ImportKeyMaterialRequest")]
public sealed record ImportKeyMaterialRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] byte[] ImportToken,
    [property: Id(2)] byte[] EncryptedKeyMaterial,
    [property: Id(3)] DateTimeOffset? ValidTo = null,
    [property: Id(4)] string? ExpirationModel = null);

/// <summary>The ids of imported material: what ImportKeyMaterial and DeleteImportedKeyMaterial answer.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyMaterialResult")]
public sealed record KeyMaterialResult([property: Id(0)] string KeyArn, [property: Id(1)] string KeyMaterialId);
