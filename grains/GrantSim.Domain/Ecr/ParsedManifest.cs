namespace GrantSim.Ecr;

/// <summary>What a manifest references: a config and layers (image manifest) or other manifests (index).</summary>
public sealed record ParsedManifest(string MediaType, string? ConfigDigest, IReadOnlyList<string> LayerDigests, IReadOnlyList<string> ManifestDigests);
