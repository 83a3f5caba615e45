namespace GrantSim.Kms;

/// <summary>A KMS tag (the model's Tag: TagKey 1–128 characters, TagValue 0–256).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Kms.KeyTag")]
public sealed record KeyTag([property: Id(0)] string TagKey, [property: Id(1)] string TagValue);
