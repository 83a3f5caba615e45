namespace GrantSim.Client.Images;

/// <summary>An image as pushed: its manifest and every blob, byte for byte, to compare pulls against.</summary>
public sealed record PushedImage(string Tag, string ManifestDigest, byte[] Manifest, IReadOnlyList<PushedBlob> Blobs);

public sealed record PushedBlob(string Digest, byte[] Content);
