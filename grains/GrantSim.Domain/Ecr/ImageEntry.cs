namespace GrantSim.Ecr;

/// <summary>An image of a repository: its manifest (stored as an object) and what the manifest references.</summary>
[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageEntry")]
public sealed record ImageEntry(
    [property: Id(0)] string ManifestDigest,
    [property: Id(1)] string MediaType,
    [property: Id(2)] long ManifestSize,
    [property: Id(3)] string? ConfigDigest,
    [property: Id(4)] IReadOnlyList<string> LayerDigests,
    [property: Id(5)] DateTimeOffset PushedAt)
{
    [Id(7)] private readonly IReadOnlyList<string>? _manifestDigests;

    /// <summary>The config's media type (ECR's <c>artifactMediaType</c>); none for an index, or for an image stored before it was kept.</summary>
    [Id(6)] public string? ArtifactMediaType { get; init; }

    /// <summary>The images an index (manifest list) names; empty for an image manifest.</summary>
    public IReadOnlyList<string> ManifestDigests
    {
        get => _manifestDigests ?? [];
        init => _manifestDigests = value;
    }

    /// <summary>When a pull was last recorded (ECR refreshes it at most once a day: <see cref="ImageRules.PullRecordInterval"/>); none before the first pull.</summary>
    [Id(8)] public DateTimeOffset? LastRecordedPullTime { get; init; }

    /// <summary>The image the manifest's <c>subject</c> names (it is a referrer of that image); none otherwise.</summary>
    [Id(9)] public string? SubjectDigest { get; init; }

    /// <summary>The referrer's artifact type: the manifest's <c>artifactType</c>, else its config's media type, as the OCI 1.1 referrers API reports it.</summary>
    [Id(10)] public string? ArtifactType { get; init; }

    [Id(11)] private readonly IReadOnlyDictionary<string, string>? _annotations;

    /// <summary>The manifest's annotations (a referrer reports them); empty when it has none, or for an image stored before they were kept.</summary>
    public IReadOnlyDictionary<string, string> Annotations
    {
        get => _annotations ?? new Dictionary<string, string>();
        init => _annotations = value;
    }

    /// <summary>Whether the image is in the archive storage class (<see cref="ImageStorage"/>); false for an image stored before archiving existed.</summary>
    [Id(12)] public bool Archived { get; init; }

    /// <summary>When the image was last archived.</summary>
    [Id(13)] public DateTimeOffset? LastArchivedAt { get; init; }

    /// <summary>When the last restore of the image ends (before it: ACTIVATING; from it on: ACTIVE, and its <c>lastActivatedAt</c>).</summary>
    [Id(14)] public DateTimeOffset? RestoredAt { get; init; }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The entry a manifest becomes when it is first pushed.</summary>
    public static ImageEntry From(string digest, long manifestSize, ParsedManifest manifest, DateTimeOffset pushedAt) =>
        new(digest, manifest.MediaType, manifestSize, manifest.ConfigDigest, manifest.LayerDigests, pushedAt)
        {
            ArtifactMediaType = manifest.ConfigMediaType,
            ManifestDigests = manifest.ManifestDigests,
            SubjectDigest = manifest.SubjectDigest,
            ArtifactType = manifest.ArtifactType ?? manifest.ConfigMediaType,
            Annotations = manifest.Annotations,
        };
}
