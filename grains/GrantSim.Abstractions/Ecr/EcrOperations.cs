namespace GrantSim.Ecr;

/// <summary>ECR operation names: API names, audit <c>eventName</c>s, and IAM actions with <see cref="Action"/>.</summary>
public static class EcrOperations
{
    public const string CreateRepository = "CreateRepository";
    public const string DescribeRepositories = "DescribeRepositories";
    public const string DeleteRepository = "DeleteRepository";
    public const string PutImage = "PutImage";
    public const string BatchGetImage = "BatchGetImage";
    public const string ListImages = "ListImages";
    public const string DescribeImages = "DescribeImages";
    public const string BatchDeleteImage = "BatchDeleteImage";
    public const string InitiateLayerUpload = "InitiateLayerUpload";
    public const string UploadLayerPart = "UploadLayerPart";
    public const string CompleteLayerUpload = "CompleteLayerUpload";
    public const string BatchCheckLayerAvailability = "BatchCheckLayerAvailability";
    public const string GetDownloadUrlForLayer = "GetDownloadUrlForLayer";
    public const string SetRepositoryPolicy = "SetRepositoryPolicy";
    public const string GetRepositoryPolicy = "GetRepositoryPolicy";
    public const string DeleteRepositoryPolicy = "DeleteRepositoryPolicy";

    // Repository settings (tags, tag mutability, scanning configuration).
    public const string TagResource = "TagResource";
    public const string UntagResource = "UntagResource";
    public const string ListTagsForResource = "ListTagsForResource";
    public const string PutImageTagMutability = "PutImageTagMutability";
    public const string PutImageScanningConfiguration = "PutImageScanningConfiguration";
    public const string BatchGetRepositoryScanningConfiguration = "BatchGetRepositoryScanningConfiguration";
    public const string PutRegistryScanningConfiguration = "PutRegistryScanningConfiguration";
    public const string GetRegistryScanningConfiguration = "GetRegistryScanningConfiguration";
    public const string StartImageScan = "StartImageScan";
    public const string DescribeImageScanFindings = "DescribeImageScanFindings";
    public const string PutLifecyclePolicy = "PutLifecyclePolicy";
    public const string GetLifecyclePolicy = "GetLifecyclePolicy";
    public const string DeleteLifecyclePolicy = "DeleteLifecyclePolicy";
    public const string StartLifecyclePolicyPreview = "StartLifecyclePolicyPreview";
    public const string GetLifecyclePolicyPreview = "GetLifecyclePolicyPreview";

    /// <summary>The trail's eventName for images a lifecycle policy expired (an AwsServiceEvent, not an API call).</summary>
    public const string PolicyExecutionEvent = "PolicyExecutionEvent";

    // The registry: its policy, replication and repository creation templates (EcrApi.Registry.cs).
    public const string PutRegistryPolicy = "PutRegistryPolicy";
    public const string GetRegistryPolicy = "GetRegistryPolicy";
    public const string DeleteRegistryPolicy = "DeleteRegistryPolicy";
    public const string PutReplicationConfiguration = "PutReplicationConfiguration";
    public const string DescribeRegistry = "DescribeRegistry";
    public const string DescribeImageReplicationStatus = "DescribeImageReplicationStatus";
    public const string CreateRepositoryCreationTemplate = "CreateRepositoryCreationTemplate";
    public const string UpdateRepositoryCreationTemplate = "UpdateRepositoryCreationTemplate";
    public const string DeleteRepositoryCreationTemplate = "DeleteRepositoryCreationTemplate";
    public const string DescribeRepositoryCreationTemplates = "DescribeRepositoryCreationTemplates";

    /// <summary>ECR's internal replication action (not callable): what a destination's registry policy grants a source account.</summary>
    public const string ReplicateImage = "ReplicateImage";

    // Pull-time update exclusions (registry-level).
    public const string RegisterPullTimeUpdateExclusion = "RegisterPullTimeUpdateExclusion";
    public const string DeregisterPullTimeUpdateExclusion = "DeregisterPullTimeUpdateExclusion";
    public const string ListPullTimeUpdateExclusions = "ListPullTimeUpdateExclusions";

    // Account settings and managed signing (registry-level), and images' storage class and referrers.
    public const string GetAccountSetting = "GetAccountSetting";
    public const string PutAccountSetting = "PutAccountSetting";
    public const string PutSigningConfiguration = "PutSigningConfiguration";
    public const string GetSigningConfiguration = "GetSigningConfiguration";
    public const string DeleteSigningConfiguration = "DeleteSigningConfiguration";
    public const string DescribeImageSigningStatus = "DescribeImageSigningStatus";
    public const string ListImageReferrers = "ListImageReferrers";
    public const string UpdateImageStorageClass = "UpdateImageStorageClass";

    public static string Action(string operation) => "ecr:" + operation;
}
