using System.Globalization;
using System.Text.Json.Nodes;
using GrantSim.Ecr;

namespace GrantSim.Silo.Aws;

/// <summary>The registry's share of images as tools use them: GetDownloadUrlForLayer's URLs, tags/list and the referrers API.</summary>
public sealed partial class RegistryEndpoint
{
    private static bool IsLayerDownload(HttpRequest request) => request.Query.ContainsKey(LayerDownloadUrls.QueryParameter);

    /// <summary>
    /// The caller a layer download URL names, for that URL's layer only: a GET or HEAD of the blob it was issued for,
    /// by a key that still exists in the account it signed for. Null for anything else.
    /// </summary>
    private RegistryCaller? AuthenticateLayerDownload(HttpRequest request)
    {
        var claims = tokens.Downloads.Verify(request.Query[LayerDownloadUrls.QueryParameter].ToString());
        var route = RegistryRoute.Parse(request.Path.Value ?? "");
        if (claims is null || route is not { Kind: RegistryRouteKind.Blob } || route.Name != claims.Repository || route.Reference != claims.Digest
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return null;
        }

        var owner = tenants.Find(claims.AccessKeyId);
        return owner is null || owner.Account != claims.Account ? null : new RegistryCaller(owner.CallerIn(claims.Region), claims.Account, claims.Region, claims.Registry);
    }

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/tags/list[?n=&lt;count&gt;&amp;last=&lt;tag&gt;]</c>: the repository's tags in lexical order, paged as the
    /// distribution spec says (<see cref="TagListing"/>), with a <c>Link</c> to the next page when <c>n</c> cut this one short.
    /// Read as ListImages, so it needs <c>ecr:ListImages</c>.
    /// </summary>
    private async Task ListTagsAsync(HttpContext context, RegistryRoute route, RegistryCaller who)
    {
        int? n = null;
        var nText = context.Request.Query["n"].ToString();
        if (nText.Length > 0)
        {
            if (!int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await Error(context, 400, "UNSUPPORTED", $"n must be a count of tags, not '{nText}'");
                return;
            }

            n = parsed;
        }

        var last = context.Request.Query["last"].ToString();
        var images = await EcrOf(who).ListImages(who.Caller, route.Name);
        var (tags, nextLast) = TagListing.Page(images.SelectMany(i => i.ImageTags), n, last.Length == 0 ? null : last);
        if (nextLast is not null)
        {
            context.Response.Headers.Link = $"</v2/{route.Name}/tags/list?n={n}&last={Uri.EscapeDataString(nextLast)}>; rel=\"next\"";
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["name"] = route.Name, ["tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()) };
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>
    /// <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;[?artifactType=&lt;type&gt;]</c> (OCI distribution 1.1): an image index of the
    /// ACTIVE manifests whose subject is the digest, each a descriptor with its artifact type and annotations; filtered by
    /// artifact type when asked (and <c>OCI-Filters-Applied</c> says so). Read as ListImageReferrers, so it needs
    /// <c>ecr:ListImageReferrers</c>; a digest with no referrers is an empty index, not a 404.
    /// </summary>
    private async Task ListReferrersAsync(HttpContext context, RegistryRoute route, RegistryCaller who)
    {
        var artifactType = context.Request.Query["artifactType"].ToString();
        var referrers = await EcrOf(who).ListImageReferrers(who.Caller, route.Name, route.Reference,
            artifactType.Length == 0 ? null : [artifactType], ImageStatuses.Active);
        if (artifactType.Length > 0)
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }

        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = new JsonArray(referrers.Select(r =>
            {
                var descriptor = EcrApi.Referrer(r);
                descriptor.Remove("artifactStatus");
                return (JsonNode)descriptor;
            }).ToArray()),
        };
        context.Response.StatusCode = 200;
        context.Response.ContentType = MediaTypes.OciIndex;
        await context.Response.WriteAsync(index.ToJsonString());
    }
}
