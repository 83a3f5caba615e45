namespace GrantSim.Ecr;

/// <summary>
/// A repository's lifecycle policy state: the policy text and since when it is in effect (its daily
/// evaluations count from there), when it last ran, the latest preview, and an expiry decided but not yet
/// finished (its images are already gone from the repository's state; the trail record and the objects' removal may remain).
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.LifecycleSettings")]
public sealed record LifecycleSettings
{
    [Id(0)] public string? PolicyText { get; init; }

    [Id(1)] public DateTimeOffset InEffectSince { get; init; }

    [Id(2)] public DateTimeOffset? LastEvaluatedAt { get; init; }

    [Id(3)] public LifecyclePolicyPreview? Preview { get; init; }

    [Id(4)] public PendingLifecycleExpiry? Pending { get; init; }

    public static LifecycleSettings None { get; } = new();
}

/// <summary>
/// Images a lifecycle evaluation expired, stored before anything else happens: the trail records them
/// (<see cref="Recorded"/>), then the manifests and the blobs no remaining image references leave storage.
/// </summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.PendingLifecycleExpiry")]
public sealed record PendingLifecycleExpiry(
    [property: Id(0)] IReadOnlyList<LifecycleExpiration> Expired,
    [property: Id(1)] IReadOnlyList<string> ManifestDigests,
    [property: Id(2)] IReadOnlyList<string> BlobDigests,
    [property: Id(3)] bool Recorded);
