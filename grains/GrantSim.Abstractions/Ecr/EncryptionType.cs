namespace GrantSim.Ecr;

/// <summary>ECR's encryption types. The wire names are AES256, KMS and KMS_DSSE (see <see cref="EncryptionTypes"/>).</summary>
public enum EncryptionType
{
    Aes256,
    Kms,
    KmsDsse,
}
