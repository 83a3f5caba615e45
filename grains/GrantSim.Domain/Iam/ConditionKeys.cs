namespace GrantSim.Iam;

/// <summary>The condition keys GrantSim puts in a request context.</summary>
public static class ConditionKeys
{
    public const string KmsViaService = "kms:ViaService";
    public const string KmsCallerAccount = "kms:CallerAccount";
    public const string KmsGrantIsForAwsResource = "kms:GrantIsForAWSResource";
    public const string KmsEncryptionContextPrefix = "kms:EncryptionContext:";
    public const string AwsResourceTagPrefix = "aws:ResourceTag/";

    /// <summary>The aliases of the KMS key a request is about (multivalued).</summary>
    public const string KmsResourceAliases = "kms:ResourceAliases";
    public const string AwsPrincipalArn = "aws:PrincipalArn";
    public const string AwsPrincipalAccount = "aws:PrincipalAccount";
}
