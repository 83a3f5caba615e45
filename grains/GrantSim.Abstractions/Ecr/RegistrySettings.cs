namespace GrantSim.Ecr;

/// <summary>A registry's replication configuration (PutReplicationConfiguration, DescribeRegistry): up to 10 rules.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ReplicationConfiguration")]
public sealed record ReplicationConfiguration([property: Id(0)] IReadOnlyList<ReplicationRule> Rules)
{
    public static ReplicationConfiguration None { get; } = new([]);
}

/// <summary>One rule: where matching repositories' pushes go. No filter means every repository.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ReplicationRule")]
public sealed record ReplicationRule(
    [property: Id(0)] IReadOnlyList<ReplicationDestination> Destinations,
    [property: Id(1)] IReadOnlyList<RepositoryFilter> RepositoryFilters);

/// <summary>A destination registry: a Region and the account that owns the registry there.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ReplicationDestination")]
public sealed record ReplicationDestination([property: Id(0)] string Region, [property: Id(1)] string RegistryId);

/// <summary>A repository filter; <see cref="FilterType"/> is <c>PREFIX_MATCH</c>, the only type the model has.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryFilter")]
public sealed record RepositoryFilter([property: Id(0)] string Filter, [property: Id(1)] string FilterType)
{
    public const string PrefixMatch = "PREFIX_MATCH";
}

/// <summary>One destination's replication of an image (DescribeImageReplicationStatus).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageReplicationStatus")]
public sealed record ImageReplicationStatus(
    [property: Id(0)] string Region,
    [property: Id(1)] string RegistryId,
    [property: Id(2)] string Status,
    [property: Id(3)] string? FailureCode);

/// <summary>A tag a repository creation template gives the repositories it creates.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.TemplateResourceTag")]
public sealed record TemplateResourceTag([property: Id(0)] string Key, [property: Id(1)] string Value);

/// <summary>A tag mutability exclusion filter of a template (<c>WILDCARD</c>).</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.TemplateTagMutabilityExclusion")]
public sealed record TemplateTagMutabilityExclusion([property: Id(0)] string FilterType, [property: Id(1)] string Filter);

/// <summary>
/// A repository creation template: the settings ECR gives a repository it creates on the registry's behalf
/// (replication, pull through cache, create on push) whose name is under <see cref="Prefix"/> (or any, for <c>ROOT</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryCreationTemplate")]
public sealed record RepositoryCreationTemplate(
    [property: Id(0)] string Prefix,
    [property: Id(1)] string? Description,
    [property: Id(2)] EncryptionConfiguration? EncryptionConfiguration,
    [property: Id(3)] IReadOnlyList<TemplateResourceTag> ResourceTags,
    [property: Id(4)] string? ImageTagMutability,
    [property: Id(5)] IReadOnlyList<TemplateTagMutabilityExclusion> ImageTagMutabilityExclusionFilters,
    [property: Id(6)] string? RepositoryPolicy,
    [property: Id(7)] string? LifecyclePolicy,
    [property: Id(8)] IReadOnlyList<string> AppliedFor,
    [property: Id(9)] string? CustomRoleArn,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset UpdatedAt)
{
    public const string Root = "ROOT";
    public const string Replication = "REPLICATION";
    public const string PullThroughCache = "PULL_THROUGH_CACHE";
    public const string CreateOnPush = "CREATE_ON_PUSH";
}

/// <summary>
/// What UpdateRepositoryCreationTemplate changes: each member given replaces the template's; a member left
/// null keeps what the template had.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryCreationTemplateUpdate")]
public sealed record RepositoryCreationTemplateUpdate(
    [property: Id(0)] string Prefix,
    [property: Id(1)] string? Description,
    [property: Id(2)] EncryptionConfiguration? EncryptionConfiguration,
    [property: Id(3)] IReadOnlyList<TemplateResourceTag>? ResourceTags,
    [property: Id(4)] string? ImageTagMutability,
    [property: Id(5)] IReadOnlyList<TemplateTagMutabilityExclusion>? ImageTagMutabilityExclusionFilters,
    [property: Id(6)] string? RepositoryPolicy,
    [property: Id(7)] string? LifecyclePolicy,
    [property: Id(8)] IReadOnlyList<string>? AppliedFor,
    [property: Id(9)] string? CustomRoleArn);

/// <summary>An image on its way to a destination registry: its manifest and the plaintext of every layer and config it references.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ReplicaImage")]
public sealed record ReplicaImage(
    [property: Id(0)] Guid ReplicationId,
    [property: Id(1)] string SourceRepositoryArn,
    [property: Id(2)] string ImageDigest,
    [property: Id(3)] string? ImageTag,
    [property: Id(4)] string MediaType,
    [property: Id(5)] byte[] Manifest,
    [property: Id(6)] IReadOnlyList<ReplicaBlob> Blobs,
    [property: Id(7)] ReplicationDestination Destination);

[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ReplicaBlob")]
public sealed record ReplicaBlob([property: Id(0)] string Digest, [property: Id(1)] byte[] Content);
