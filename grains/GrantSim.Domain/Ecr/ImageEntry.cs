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

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The entry a manifest becomes when it is first pushed.</summary>
    public static ImageEntry From(string digest, long manifestSize, ParsedManifest manifest, DateTimeOffset pushedAt) =>
        new(digest, manifest.MediaType, manifestSize, manifest.ConfigDigest, manifest.LayerDigests, pushedAt)
        {
            ArtifactMediaType = manifest.ConfigMediaType,
            ManifestDigests = manifest.ManifestDigests,
        };
}
