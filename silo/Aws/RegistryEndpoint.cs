using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Silo.Aws;

/// <summary>
/// The OCI Distribution (Docker Registry v2) API under <c>/v2/</c>, for docker, skopeo and friends.
/// Basic auth, user <c>AWS</c>, password the <see cref="RegistryToken"/> of GetAuthorizationToken:
/// the token names the access key and so the tenant, principal and region. The registry is the one the Host
/// names (<c>&lt;account&gt;.dkr.ecr.&lt;region&gt;…</c>, as ECR's), else the one the token was issued for (its own
/// account's unless GetAuthorizationToken's registryIds named another). Every call goes through that registry's
/// ECR service grain as the token's principal (the repository policy decides for another account), so layers
/// are encrypted and decrypted through the repository's grant.
/// </summary>
public sealed partial class RegistryEndpoint(IGrainFactory grains, RegistryToken tokens, AwsTenants tenants, UploadSessions uploads, ILogger<RegistryEndpoint> logger)
{
    /// <summary>A manifest may not exceed this (ECR's limit on imageManifest).</summary>
    public const long MaxManifest = 4 * 1024 * 1024;

    /// <summary>Who calls (the token's principal) and which registry: the Host's account, else the token's (RegistryHost).</summary>
    private sealed record RegistryCaller(CallerIdentity Caller, string Account, string Region, string Registry);

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        RegistryCaller? caller;
        var download = IsLayerDownload(context.Request);
        try
        {
            caller = download ? AuthenticateLayerDownload(context.Request) : Authenticate(context.Request);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Nothing a caller sends may turn authentication into a 500: whatever cannot be read is not a credential.
            EndpointLog.RegistryCredentialsUnreadable(logger, error);
            caller = null;
        }

        if (caller is null && download)
        {
            // A download URL that is not genuine, has expired, or is used for another layer: refused as a presigned URL is.
            await Error(context, 403, "DENIED", "the layer download URL is not valid for this layer, or has expired");
            return;
        }

        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"GrantSim\"";
            await Error(context, 401, "UNAUTHORIZED", "authentication required: user AWS, password from 'aws ecr get-login-password'");
            return;
        }

        var route = RegistryRoute.Parse(context.Request.Path.Value ?? "");
        if (route is null)
        {
            await Error(context, 404, "NAME_UNKNOWN", "no such registry route");
            return;
        }

        if (route.Kind != RegistryRouteKind.Ping && !RepositoryNames.IsValid(route.Name))
        {
            await Error(context, 400, "NAME_INVALID", $"'{route.Name}' is not a repository name");
            return;
        }

        try
        {
            await DispatchAsync(context, route, caller);
        }
        catch (AwsServiceException error)
        {
            var (status, code) = Translate(error.ErrorCode, route.Kind);
            await Error(context, status, code, error.ToString());
        }
        catch (ArgumentException error)
        {
            await Error(context, 400, "UNSUPPORTED", error.Message);
        }
        catch (BadHttpRequestException error)
        {
            // The body itself was bad: past the server's limit, cut short, or too slow to arrive.
            await Error(context, error.StatusCode == 413 ? 413 : 400, error.StatusCode == 413 ? "SIZE_INVALID" : "BLOB_UPLOAD_INVALID", error.Message);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            EndpointLog.RegistryRequestFailed(logger, error, context.Request.Method, context.Request.Path);
            await Error(context, 500, "UNKNOWN", "internal error");
        }
    }

    private async Task DispatchAsync(HttpContext context, RegistryRoute route, RegistryCaller who)
    {
        var request = context.Request;
        var response = context.Response;
        var ecr = EcrOf(who);
        var scope = GrainKeys.Repository(who.Registry, who.Region, route.Name);
        switch (route.Kind, request.Method)
        {
            case (RegistryRouteKind.Ping, "GET" or "HEAD"):
                response.StatusCode = 200;
                return;

            case (RegistryRouteKind.Blob, "HEAD"):
            {
                var found = (await ecr.CheckBlobs(who.Caller, route.Name, [route.Reference]))[0];
                if (found is null)
                {
                    response.StatusCode = 404;
                    return;
                }

                response.StatusCode = 200;
                response.ContentLength = found.Size;
                response.ContentType = "application/octet-stream";
                response.Headers["Docker-Content-Digest"] = found.Digest;
                return;
            }

            case (RegistryRouteKind.Blob, "GET"):
            {
                var content = (await ecr.GetBlob(who.Caller, route.Name, route.Reference)).Value;
                response.StatusCode = 200;
                response.ContentType = "application/octet-stream";
                response.ContentLength = content.Length;
                response.Headers["Docker-Content-Digest"] = route.Reference;
                await response.Body.WriteAsync(content);
                return;
            }

            case (RegistryRouteKind.StartUpload, "POST"):
            {
                // The repository must exist (and the caller see it) before anything is accepted.
                await ecr.DescribeRepositories(who.Caller, [route.Name]);
                var digest = request.Query["digest"].ToString();
                string id;
                try
                {
                    id = uploads.Start(who.Caller.Principal, scope);
                }
                catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.LimitExceeded)
                {
                    // A limit on how many, not on how big: the registry's "too many requests".
                    await Error(context, 429, "TOOMANYREQUESTS", error.Message);
                    return;
                }

                if (digest.Length > 0)
                {
                    // A monolithic upload: one request, accounted and spooled like a chunked one.
                    try
                    {
                        await uploads.AppendAsync(id, who.Caller.Principal, scope, 0, StreamedBody(request), cancellationToken: context.RequestAborted);
                        var blob = await ecr.UploadBlob(who.Caller, route.Name, uploads.Complete(id, who.Caller.Principal, scope), digest);
                        BlobCreated(response, route.Name, blob.Digest);
                    }
                    finally
                    {
                        CancelQuietly(id, who, scope);
                    }

                    return;
                }

                UploadAccepted(response, route.Name, id, 0);
                return;
            }

            case (RegistryRouteKind.Upload, "PATCH"):
            {
                var range = ContentRange(request);
                var length = await uploads.AppendAsync(route.Reference, who.Caller.Principal, scope, range?.Start, StreamedBody(request), range?.Length, context.RequestAborted);
                UploadAccepted(response, route.Name, route.Reference, length);
                return;
            }

            case (RegistryRouteKind.Upload, "GET"):
                UploadAccepted(response, route.Name, route.Reference, uploads.Length(route.Reference, who.Caller.Principal, scope), status: 204);
                return;

            case (RegistryRouteKind.Upload, "PUT"):
            {
                var digest = request.Query["digest"].ToString();
                if (digest.Length == 0)
                {
                    await Error(context, 400, "DIGEST_INVALID", "PUT of an upload needs ?digest=");
                    return;
                }

                // The last chunk and the whole blob are checked before the upload ends: a blob the repository
                // refuses (a digest that is not its own) leaves the upload as it was, that chunk not added.
                var range = ContentRange(request);
                var content = await uploads.SealAsync(route.Reference, who.Caller.Principal, scope, StreamedBody(request), range?.Start, range?.Length, context.RequestAborted);
                try
                {
                    var blob = await ecr.UploadBlob(who.Caller, route.Name, content, digest);
                    uploads.Finish(route.Reference, who.Caller.Principal, scope);
                    BlobCreated(response, route.Name, blob.Digest);
                }
                catch (AwsServiceException)
                {
                    uploads.Unseal(route.Reference, who.Caller.Principal, scope);
                    throw;
                }

                return;
            }

            case (RegistryRouteKind.Upload, "DELETE"):
                uploads.Cancel(route.Reference, who.Caller.Principal, scope);
                response.StatusCode = 204;
                return;

            case (RegistryRouteKind.Manifest, "PUT"):
            {
                var body = await AwsEndpointExtensions.ReadBodyAsync(request, MaxManifest)
                    ?? throw new AwsServiceException(AwsErrorCodes.LimitExceeded, $"A manifest may not exceed {MaxManifest} bytes.");
                var digest = ContentDigest.Sha256(body);
                // Decided before anything is stored: a manifest put under a digest that is not its own changes nothing.
                if (route.ReferenceIsDigest && route.Reference != digest)
                {
                    await Error(context, 400, "DIGEST_INVALID", $"the manifest's digest is {digest}, not {route.Reference}");
                    return;
                }

                var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) && parsed.MediaType is not null
                    ? parsed.MediaType
                    : EcrApi.ManifestMediaType(Encoding.UTF8.GetString(body));
                try
                {
                    var image = await ecr.PutImage(who.Caller, route.Name, body, mediaType, route.ReferenceIsDigest ? null : route.Reference);
                    if (image.SubjectManifestDigest is { } subject)
                    {
                        // OCI 1.1: a registry that keeps the subject says so, and the client need not update a referrers tag.
                        response.Headers["OCI-Subject"] = subject;
                    }
                }
                catch (AwsServiceException error) when (error.ErrorCode == AwsErrorCodes.ImageAlreadyExists)
                {
                    // The same manifest under the same tag again: what a registry client means is "make sure it is there", and it is.
                }

                response.StatusCode = 201;
                response.Headers.Location = $"/v2/{route.Name}/manifests/{digest}";
                response.Headers["Docker-Content-Digest"] = digest;
                return;
            }

            case (RegistryRouteKind.Manifest, "GET" or "HEAD"):
            {
                var id = route.ReferenceIsDigest ? new ImageIdentifier(ImageDigest: route.Reference) : new ImageIdentifier(ImageTag: route.Reference);
                var manifest = await ecr.GetImage(who.Caller, route.Name, id);
                response.StatusCode = 200;
                response.ContentType = manifest.MediaType;
                response.ContentLength = manifest.Content.Length;
                response.Headers["Docker-Content-Digest"] = manifest.Digest;
                if (HttpMethods.IsGet(request.Method))
                {
                    await response.Body.WriteAsync(manifest.Content);
                }

                return;
            }

            case (RegistryRouteKind.TagsList, "GET"):
                await ListTagsAsync(context, route, who);
                return;

            case (RegistryRouteKind.Referrers, "GET"):
                await ListReferrersAsync(context, route, who);
                return;

            case (RegistryRouteKind.Manifest, "DELETE"):
            {
                var id = route.ReferenceIsDigest ? new ImageIdentifier(ImageDigest: route.Reference) : new ImageIdentifier(ImageTag: route.Reference);
                await ecr.DeleteImage(who.Caller, route.Name, id);
                response.StatusCode = 202;
                return;
            }

            default:
                await Error(context, 405, "UNSUPPORTED", $"{request.Method} is not served on this route");
                return;
        }
    }

    /// <summary>The ECR service of the registry a request addresses: the caller's own, or another account's.</summary>
    private IEcrServiceGrain EcrOf(RegistryCaller who) => who.Registry == who.Account
        ? grains.GetGrain<IEcrServiceGrain>(who.Region)
        : grains.GetGrain<IEcrServiceGrain>(GrainKeys.EcrRegistry(who.Registry, who.Region));

    private RegistryCaller? Authenticate(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || decoded[..colon] != RegistryToken.User)
        {
            return null;
        }

        var claims = tokens.Verify(decoded[(colon + 1)..]);
        var owner = claims is null ? null : tenants.Find(claims.AccessKeyId);
        if (owner is null || owner.Account != claims!.Account)
        {
            return null;
        }

        // A registry host of another region is not one this token opens: ECR's tokens are regional.
        var host = RegistryHost.Parse(request.Headers.Host.ToString());
        return host is { } named && named.Region != claims.Region
            ? null
            : new RegistryCaller(owner.CallerIn(claims.Region), claims.Account, claims.Region, host?.Account ?? claims.Registry);
    }

    /// <summary>
    /// A chunk's <c>Content-Range: &lt;start&gt;-&lt;end&gt;</c> (inclusive, as the OCI distribution spec has it;
    /// <c>bytes</c> and a <c>/total</c> are tolerated); none when absent. Anything else is a 416.
    /// </summary>
    internal static (long Start, long Length)? ContentRange(HttpRequest request)
    {
        var text = request.Headers.ContentRange.ToString().Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..].TrimStart(' ', '=');
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            text = text[..slash];
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(text.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var end)
            || end < start)
        {
            throw new AwsServiceException(UploadSessions.InvalidLayerPart, $"Content-Range '{request.Headers.ContentRange}' is not <start>-<end> with end at or after start.");
        }

        return (start, end - start + 1);
    }

    /// <summary>A body read as it arrives (never whole in memory); the server's own limit follows the upload limit.</summary>
    private Stream StreamedBody(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = uploads.Limits.MaxUploadBytes + 1;
        }

        return request.Body;
    }

    private void CancelQuietly(string id, RegistryCaller who, string scope)
    {
        try
        {
            uploads.Cancel(id, who.Caller.Principal, scope);
        }
        catch (AwsServiceException)
        {
            // Already completed or gone: nothing to give back.
        }
    }

    private static void UploadAccepted(HttpResponse response, string name, string id, long length, int status = 202)
    {
        response.StatusCode = status;
        response.Headers.Location = $"/v2/{name}/blobs/uploads/{id}";
        response.Headers["Docker-Upload-UUID"] = id;
        response.Headers["Range"] = $"0-{Math.Max(0, length - 1)}";
        response.ContentLength = 0;
    }

    private static void BlobCreated(HttpResponse response, string name, string digest)
    {
        response.StatusCode = 201;
        response.Headers.Location = $"/v2/{name}/blobs/{digest}";
        response.Headers["Docker-Content-Digest"] = digest;
        response.ContentLength = 0;
    }

    /// <summary>The registry's error code and status for an AWS exception.</summary>
    public static (int Status, string Code) Translate(string errorCode, RegistryRouteKind kind) => errorCode switch
    {
        AwsErrorCodes.RepositoryNotFound => (404, "NAME_UNKNOWN"),
        AwsErrorCodes.ImageNotFound => (404, "MANIFEST_UNKNOWN"),
        AwsErrorCodes.LayersNotFound when kind == RegistryRouteKind.Manifest => (400, "MANIFEST_BLOB_UNKNOWN"),
        AwsErrorCodes.LayersNotFound => (404, "BLOB_UNKNOWN"),
        UploadSessions.UploadNotFound => (404, "BLOB_UPLOAD_UNKNOWN"),
        UploadSessions.InvalidLayerPart => (416, "BLOB_UPLOAD_INVALID"),
        AwsErrorCodes.InvalidLayer or AwsErrorCodes.ImageDigestDoesNotMatch => (400, "DIGEST_INVALID"),
        AwsErrorCodes.InvalidParameter or AwsErrorCodes.Validation when kind == RegistryRouteKind.Manifest => (400, "MANIFEST_INVALID"),
        AwsErrorCodes.InvalidParameter or AwsErrorCodes.Validation => (400, "UNSUPPORTED"),
        AwsErrorCodes.AccessDenied or AwsErrorCodes.Kms => (403, "DENIED"),
        AwsErrorCodes.LimitExceeded => (413, "SIZE_INVALID"),
        AwsErrorCodes.Throttling => (429, "TOOMANYREQUESTS"),
        AwsErrorCodes.ImageTagAlreadyExists => (400, "TAG_INVALID"),
        AwsErrorCodes.ImageAlreadyExists or AwsErrorCodes.RepositoryAlreadyExists => (409, "DENIED"),
        AwsErrorCodes.RepositoryNotEmpty => (409, "DENIED"),
        ImageRules.ReferencedByManifestList => (409, "DENIED"),
        // A failure on GrantSim's side is a 5xx; everything else is the caller's request, a 4xx.
        AwsErrorCodes.KmsInternal or AwsErrorCodes.Server or AwsErrorCodes.DependencyTimeout => (503, "UNAVAILABLE"),
        _ => (400, "UNSUPPORTED"),
    };

    private static async Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) };
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(body.ToJsonString());
        }
    }
}
