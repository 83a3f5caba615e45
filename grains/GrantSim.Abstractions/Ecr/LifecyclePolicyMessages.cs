namespace GrantSim.Ecr;

/// <summary>A repository's lifecycle policy as GetLifecyclePolicy, PutLifecyclePolicy and DeleteLifecyclePolicy answer it.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.LifecyclePolicyDescription")]
public sealed record LifecyclePolicyDescription(
    [property: Id(0)] string PolicyText,
    [property: Id(1)] DateTimeOffset? LastEvaluatedAt);

/// <summary>
/// One image a lifecycle policy expires (or, in a preview, would expire): its digest, its tags and push time
/// when it was evaluated, the priority of the rule that expires it, and when that evaluation ran.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.LifecycleExpiration")]
public sealed record LifecycleExpiration(
    [property: Id(0)] string ImageDigest,
    [property: Id(1)] IReadOnlyList<string> ImageTags,
    [property: Id(2)] DateTimeOffset ImagePushedAt,
    [property: Id(3)] int AppliedRulePriority,
    [property: Id(4)] DateTimeOffset EvaluatedAt);

/// <summary>The preview statuses of ECR's LifecyclePolicyPreviewStatus.</summary>
public static class LifecyclePreviewStatus
{
    public const string InProgress = "IN_PROGRESS";
    public const string Complete = "COMPLETE";
    public const string Expired = "EXPIRED";
    public const string Failed = "FAILED";
}

/// <summary>A lifecycle policy preview: the policy text it evaluated, its status, and the images it would expire (oldest first).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.LifecyclePolicyPreview")]
public sealed record LifecyclePolicyPreview(
    [property: Id(0)] string PolicyText,
    [property: Id(1)] string Status,
    [property: Id(2)] IReadOnlyList<LifecycleExpiration> Results);
