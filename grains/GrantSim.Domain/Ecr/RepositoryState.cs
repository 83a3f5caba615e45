using System.Collections.Immutable;

namespace GrantSim.Ecr;

/// <summary>
/// A repository name's persisted state. <see cref="Incarnation"/> changes with every create, so
/// objects and grants of a deleted repository never mix with those of a new one of the same name.
/// Transitions live in <see cref="RepositoryLifecycle"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.RepositoryState")]
public sealed record RepositoryState(
    [property: Id(0)] RepositoryStatus Status,
    [property: Id(1)] Guid Incarnation,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] EncryptionConfiguration? Configuration,
    [property: Id(4)] string? Creator,
    [property: Id(5)] ImmutableArray<RepositoryGrantSlot> Grants,
    [property: Id(6)] ImmutableDictionary<string, BlobEntry> Blobs,
    [property: Id(7)] ImmutableDictionary<string, ImageEntry> Images,
    [property: Id(8)] ImmutableDictionary<string, string> Tags,
    [property: Id(9)] DeletionProgress? Deletion)
{
    public static RepositoryState Absent { get; } = new(
        RepositoryStatus.Absent, Guid.Empty, default, null, null, ImmutableArray<RepositoryGrantSlot>.Empty,
        ImmutableDictionary<string, BlobEntry>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, ImageEntry>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        null);

    /// <summary>Tag mutability, scan on push and resource tags (<see cref="RepositorySettingsRules"/>).</summary>
    [Id(10)] public RepositorySettings Settings { get; init; } = RepositorySettings.Default;
    /// <summary>The repository policy's text as it was set (SetRepositoryPolicy); null when the repository has none.</summary>
    [Id(11)] public string? Policy { get; init; }
    [Id(13)] private readonly ImmutableList<string>? _tagOrder;

    /// <summary>
    /// Every tag of <see cref="Tags"/>, oldest first: a tag moves to the end when it is put on an image
    /// (again). ECR reports an image's tags in the order they were pushed (<see cref="ImageRules.TagsOf"/>);
    /// <see cref="Tags"/> is a dictionary and keeps no order. A state stored before this existed has none,
    /// and its tags are reported after the ordered ones, by name.
    /// </summary>
    public ImmutableList<string> TagOrder
    {
        get => _tagOrder ?? ImmutableList<string>.Empty;
        init => _tagOrder = value;
    }
    /// <summary>The lifecycle policy, its evaluations, preview and any unfinished expiry (<see cref="LifecyclePolicies"/>); none until a policy or preview is put.</summary>
    [Id(12)] public LifecycleSettings? Lifecycle { get; init; }
    /// <summary>Replications of this repository's pushes: the outbox (in progress) and their outcomes (RepositoryGrain.Replication.cs).</summary>
    [Id(14)] public ImmutableList<ImageReplication> Replications { get; init; } = ImmutableList<ImageReplication>.Empty;

    public bool HasPendingWork => Status is RepositoryStatus.Creating or RepositoryStatus.Deleting or RepositoryStatus.RollingBack;

    public RepositoryGrantSlot? Grant(RepositoryGrantRole role) => Grants.FirstOrDefault(g => g.Role == role);

    // What each status is sure to hold, asked for by name: the one place a missing part is a broken invariant
    // (one stored shape for every status keeps the persisted format unchanged; these say what each status adds).

    /// <summary>The encryption configuration: every status but <see cref="RepositoryStatus.Absent"/> has one.</summary>
    public EncryptionConfiguration EncryptionConfiguration => Configuration ?? throw Missing("encryption configuration");

    /// <summary>The KMS key of a KMS or KMS_DSSE repository.</summary>
    public string KmsKeyArn => Configuration?.KmsKey ?? throw Missing("KMS key");

    /// <summary>Who created it: every status but <see cref="RepositoryStatus.Absent"/> knows.</summary>
    public string CreatorPrincipal => Creator ?? throw Missing("creator");

    /// <summary>How far a delete has got: a repository <see cref="RepositoryStatus.Deleting"/> (or just deleted) has it.</summary>
    public DeletionProgress DeletionProgress => Deletion ?? throw Missing("deletion in progress");

    private InvalidOperationException Missing(string what) => new($"A repository that is {Status} has no {what}: its stored state breaks the lifecycle's invariant.");
}
