namespace GrantSim.Ecr;

/// <summary>What a manifest references: a config and layers (image manifest) or other manifests (index).</summary>
public sealed record ParsedManifest(string MediaType, string? ConfigDigest, IReadOnlyList<string> LayerDigests, IReadOnlyList<string> ManifestDigests)
{
    /// <summary>The config's media type (what ECR reports as the image's <c>artifactMediaType</c>); none for an index.</summary>
    public string? ConfigMediaType { get; init; }

    /// <summary>The digest the manifest's <c>subject</c> descriptor names (OCI 1.1: this manifest refers to that image); none without one.</summary>
    public string? SubjectDigest { get; init; }

    /// <summary>The manifest's own <c>artifactType</c> field; none when it has none.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The manifest's <c>annotations</c>; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public bool IsIndex => MediaTypes.IsIndex(MediaType);
}
