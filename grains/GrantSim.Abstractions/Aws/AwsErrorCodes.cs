namespace GrantSim.Aws;

/// <summary>
/// The exception names that KMS and ECR return in <c>__type</c>. One place for them so that the
/// grains, the HTTP endpoints, the simulation and the tests all speak the same names.
/// </summary>
public static class AwsErrorCodes
{
    // Shared
    public const string AccessDenied = "AccessDeniedException";
    public const string Validation = "ValidationException";
    public const string UnrecognizedClient = "UnrecognizedClientException";

    /// <summary>A signature that does not hold, or a credential scoped to a date, service or region it may not be.</summary>
    public const string InvalidSignature = "InvalidSignatureException";
    public const string Throttling = "ThrottlingException";

    // KMS
    public const string NotFound = "NotFoundException";
    public const string Disabled = "DisabledException";
    public const string KmsInvalidState = "KMSInvalidStateException";
    public const string InvalidCiphertext = "InvalidCiphertextException";
    public const string IncorrectKey = "IncorrectKeyException";
    public const string InvalidGrantId = "InvalidGrantIdException";
    public const string InvalidGrantToken = "InvalidGrantTokenException";
    public const string LimitExceeded = "LimitExceededException";
    public const string AlreadyExists = "AlreadyExistsException";
    public const string InvalidAliasName = "InvalidAliasNameException";
    public const string InvalidArn = "InvalidArnException";
    public const string MalformedPolicyDocument = "MalformedPolicyDocumentException";
    public const string KmsInternal = "KMSInternalException";
    public const string DependencyTimeout = "DependencyTimeoutException";
    public const string UnsupportedOperation = "UnsupportedOperationException";
    public const string InvalidKeyUsage = "InvalidKeyUsageException";
    public const string Tag = "TagException";
    public const string InvalidImportToken = "InvalidImportTokenException";
    public const string ExpiredImportToken = "ExpiredImportTokenException";
    public const string IncorrectKeyMaterial = "IncorrectKeyMaterialException";
    public const string KmsInvalidSignature = "KMSInvalidSignatureException";
    public const string InvalidMac = "KMSInvalidMacException";

    // ECR
    public const string RepositoryAlreadyExists = "RepositoryAlreadyExistsException";
    public const string RepositoryNotFound = "RepositoryNotFoundException";
    public const string RepositoryNotEmpty = "RepositoryNotEmptyException";
    public const string InvalidParameter = "InvalidParameterException";
    public const string Kms = "KmsException";
    public const string ImageNotFound = "ImageNotFoundException";
    public const string LayersNotFound = "LayersNotFoundException";
    public const string InvalidLayer = "InvalidLayerException";
    public const string ImageDigestDoesNotMatch = "ImageDigestDoesNotMatchException";
    public const string ImageAlreadyExists = "ImageAlreadyExistsException";
    public const string ReferencedImagesNotFound = "ReferencedImagesNotFoundException";
    public const string ImageTagAlreadyExists = "ImageTagAlreadyExistsException";
    public const string InvalidTagParameter = "InvalidTagParameterException";
    public const string TooManyTags = "TooManyTagsException";
    public const string ScanNotFound = "ScanNotFoundException";
    public const string LayerInaccessible = "LayerInaccessibleException";
    public const string Server = "ServerException";
    public const string RepositoryPolicyNotFound = "RepositoryPolicyNotFoundException";
    public const string ExclusionAlreadyExists = "ExclusionAlreadyExistsException";
    public const string ExclusionNotFound = "ExclusionNotFoundException";
    public const string LifecyclePolicyNotFound = "LifecyclePolicyNotFoundException";
    public const string LifecyclePolicyPreviewNotFound = "LifecyclePolicyPreviewNotFoundException";
    public const string LifecyclePolicyPreviewInProgress = "LifecyclePolicyPreviewInProgressException";
    public const string RegistryPolicyNotFound = "RegistryPolicyNotFoundException";
    public const string TemplateAlreadyExists = "TemplateAlreadyExistsException";
    public const string TemplateNotFound = "TemplateNotFoundException";
    public const string UnsupportedUpstreamRegistry = "UnsupportedUpstreamRegistryException";
    public const string PullThroughCacheRuleNotFound = "PullThroughCacheRuleNotFoundException";
    public const string SigningConfigurationNotFound = "SigningConfigurationNotFoundException";
    public const string ImageStorageClassUpdateNotSupported = "ImageStorageClassUpdateNotSupportedException";

    /// <summary>Errors a client should retry (what an AWS SDK treats as transient: throttling, and the 5xx of KMS and ECR).</summary>
    public static bool IsTransient(string code) =>
        code is Throttling or KmsInternal or DependencyTimeout or Server;
}
