namespace GrantSim.Ecr;

public static class EncryptionTypes
{
    public const string Aes256 = "AES256";
    public const string Kms = "KMS";
    public const string KmsDsse = "KMS_DSSE";

    public static string ToWire(this EncryptionType type) => type switch
    {
        EncryptionType.Aes256 => Aes256,
        EncryptionType.Kms => Kms,
        EncryptionType.KmsDsse => KmsDsse,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? wire, out EncryptionType type)
    {
        (var ok, type) = wire switch
        {
            Aes256 => (true, EncryptionType.Aes256),
            Kms => (true, EncryptionType.Kms),
            KmsDsse => (true, EncryptionType.KmsDsse),
            _ => (false, EncryptionType.Aes256),
        };
        return ok;
    }

    /// <summary>KMS and KMS_DSSE use a KMS key and its grants; AES256 makes no KMS call.</summary>
    public static bool UsesKms(this EncryptionType type) => type is EncryptionType.Kms or EncryptionType.KmsDsse;
}
