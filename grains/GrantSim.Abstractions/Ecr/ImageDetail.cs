namespace GrantSim.Ecr;

[GenerateSerializer, Immutable, Alias("GrantSim.Ecr.ImageDetail")]
public sealed record ImageDetail(
    [property: Id(0)] string ImageDigest,
    [property: Id(1)] IReadOnlyList<string> ImageTags,
    [property: Id(2)] long ImageSizeInBytes,
    [property: Id(3)] DateTimeOffset ImagePushedAt,
    [property: Id(4)] string ImageManifestMediaType,
    [property: Id(5)] IReadOnlyList<string> LayerDigests,
    [property: Id(6)] string ConfigDigest)
{
    [Id(9)] private readonly IReadOnlyList<string>? _manifestDigests;

    /// <summary>The config's media type (ECR's <c>artifactMediaType</c>); none for a manifest list or index.</summary>
    [Id(7)] public string? ArtifactMediaType { get; init; }

    /// <summary>When ECR last recorded a pull of the image (refreshed at most once a day); none before the first.</summary>
    [Id(8)] public DateTimeOffset? LastRecordedPullTime { get; init; }

    /// <summary>The image this one's manifest names as its <c>subject</c> (an OCI 1.1 referrer: a signature, an SBOM); none otherwise.</summary>
    [Id(10)] public string? SubjectManifestDigest { get; init; }

    /// <summary>ECR's <c>imageStatus</c>: ACTIVE, ARCHIVED or ACTIVATING (<see cref="ImageStatuses"/>).</summary>
    [Id(11)] public string ImageStatus { get; init; } = ImageStatuses.Active;

    /// <summary>When the image was last archived; none if it never was.</summary>
    [Id(12)] public DateTimeOffset? LastArchivedAt { get; init; }

    /// <summary>When the image last became active again after a restore; none if it never was restored.</summary>
    [Id(13)] public DateTimeOffset? LastActivatedAt { get; init; }

    /// <summary>The images a manifest list or index names; empty for an image manifest.</summary>
    public IReadOnlyList<string> ManifestDigests
    {
        get => _manifestDigests ?? [];
        init => _manifestDigests = value;
    }
}
