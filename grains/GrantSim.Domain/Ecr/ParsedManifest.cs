namespace GrantSim.Ecr;

/// <summary>What a manifest references: a config and layers (image manifest) or other manifests (index).</summary>
public sealed record ParsedManifest(string MediaType, string? ConfigDigest, IReadOnlyList<string> LayerDigests, IReadOnlyList<string> ManifestDigests)
{
    /// <summary>The config's media type (what ECR reports as the image's <c>artifactMediaType</c>); none for an index.</summary>
    public string? ConfigMediaType { get; init; }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);
}
