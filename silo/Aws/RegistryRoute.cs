namespace GrantSim.Silo.Aws;

public enum RegistryRouteKind
{
    Ping,
    Blob,
    StartUpload,
    Upload,
    Manifest,
    TagsList,
    Referrers,
}

/// <summary>
/// An OCI Distribution path: <c>/v2/</c>, <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>,
/// <c>/v2/&lt;name&gt;/blobs/uploads/[&lt;id&gt;]</c>, <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>,
/// <c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>.
/// Names hold '/', so the route is found by its last marker.
/// </summary>
public sealed record RegistryRoute(RegistryRouteKind Kind, string Name = "", string Reference = "")
{
    public static RegistryRoute? Parse(string path)
    {
        if (path is "/v2" or "/v2/")
        {
            return new RegistryRoute(RegistryRouteKind.Ping);
        }

        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[4..];
        if (rest.EndsWith("/tags/list", StringComparison.Ordinal) && rest.Length > "/tags/list".Length)
        {
            return new RegistryRoute(RegistryRouteKind.TagsList, rest[..^"/tags/list".Length]);
        }

        var uploads = rest.LastIndexOf("/blobs/uploads", StringComparison.Ordinal);
        if (uploads > 0)
        {
            var tail = rest[(uploads + "/blobs/uploads".Length)..];
            if (tail is "" or "/")
            {
                return new RegistryRoute(RegistryRouteKind.StartUpload, rest[..uploads]);
            }

            if (tail.StartsWith('/') && !tail[1..].Contains('/', StringComparison.Ordinal))
            {
                return new RegistryRoute(RegistryRouteKind.Upload, rest[..uploads], tail[1..]);
            }
        }

        foreach (var (marker, kind) in new[] { ("/manifests/", RegistryRouteKind.Manifest), ("/blobs/", RegistryRouteKind.Blob), ("/referrers/", RegistryRouteKind.Referrers) })
        {
            var at = rest.LastIndexOf(marker, StringComparison.Ordinal);
            if (at > 0)
            {
                var reference = rest[(at + marker.Length)..];
                return reference.Length == 0 || reference.Contains('/', StringComparison.Ordinal)
                    ? null
                    : new RegistryRoute(kind, rest[..at], reference);
            }
        }

        return null;
    }

    /// <summary>A manifest reference is a digest when it has an algorithm prefix; otherwise a tag.</summary>
    public bool ReferenceIsDigest => Reference.Contains(':', StringComparison.Ordinal);
}
