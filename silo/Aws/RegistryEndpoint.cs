using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GrantSim.Aws;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;

namespace GrantSim.Silo.Aws;

/// <summary>
/// The OCI Distribution (Docker Registry v2) API under <c>/v2/</c>, for docker, skopeo and friends.
/// Basic auth, user <c>AWS</c>, password the <see cref="RegistryToken"/> of GetAuthorizationToken:
/// the token names the access key and so the tenant, principal and region. Every call goes through the
/// region's ECR service grain as that principal, so layers are encrypted through the repository's grant.
/// </summary>
public sealed class RegistryEndpoint(IGrainFactory grains, RegistryToken tokens, AwsTenants tenants, UploadSessions uploads, ILogger<RegistryEndpoint> logger)
{
    /// <summary>A monolithic blob or manifest body may not exceed this.</summary>
    public const long MaxBody = UploadSessions.MaxUploadBytes;

    private sealed record RegistryCaller(CallerIdentity Caller, string Account, string Region);

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        var caller = Authenticate(context.Request);
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
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            logger.LogError(error, "Registry request {Method} {Path} failed unexpectedly", context.Request.Method, context.Request.Path);
            await Error(context, 500, "UNKNOWN", "internal error");
        }
    }

    private async Task DispatchAsync(HttpContext context, RegistryRoute route, RegistryCaller who)
    {
        var request = context.Request;
        var response = context.Response;
        var ecr = grains.GetGrain<IEcrServiceGrain>(who.Region);
        var scope = GrainKeys.Repository(who.Account, who.Region, route.Name);
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
                if (digest.Length > 0)
                {
                    var body = await Body(request);
                    var blob = await ecr.UploadBlob(who.Caller, route.Name, body, digest);
                    BlobCreated(response, route.Name, blob.Digest);
                    return;
                }

                var id = uploads.Start(who.Caller.Principal, scope);
                UploadAccepted(response, route.Name, id, 0);
                return;
            }

            case (RegistryRouteKind.Upload, "PATCH"):
            {
                var body = await Body(request);
                var length = uploads.Append(route.Reference, who.Caller.Principal, scope, FirstByte(request), body);
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

                var body = await Body(request);
                if (body.Length > 0)
                {
                    uploads.Append(route.Reference, who.Caller.Principal, scope, null, body);
                }

                var content = uploads.Complete(route.Reference, who.Caller.Principal, scope);
                var blob = await ecr.UploadBlob(who.Caller, route.Name, content, digest);
                BlobCreated(response, route.Name, blob.Digest);
                return;
            }

            case (RegistryRouteKind.Upload, "DELETE"):
                uploads.Cancel(route.Reference, who.Caller.Principal, scope);
                response.StatusCode = 204;
                return;

            case (RegistryRouteKind.Manifest, "PUT"):
            {
                var body = await Body(request);
                var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) && parsed.MediaType is not null
                    ? parsed.MediaType
                    : EcrApi.ManifestMediaType(Encoding.UTF8.GetString(body));
                var image = await ecr.PutImage(who.Caller, route.Name, body, mediaType, route.ReferenceIsDigest ? null : route.Reference);
                if (route.ReferenceIsDigest && route.Reference != image.ImageDigest)
                {
                    await Error(context, 400, "DIGEST_INVALID", $"the manifest's digest is {image.ImageDigest}, not {route.Reference}");
                    return;
                }

                response.StatusCode = 201;
                response.Headers.Location = $"/v2/{route.Name}/manifests/{image.ImageDigest}";
                response.Headers["Docker-Content-Digest"] = image.ImageDigest;
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
        return owner is null || owner.Account != claims!.Account ? null : new RegistryCaller(owner.CallerIn(claims.Region), claims.Account, claims.Region);
    }

    private static long? FirstByte(HttpRequest request)
    {
        // Content-Range: <start>-<end> on a chunk says where it goes; without it the chunk is appended.
        var range = request.Headers.ContentRange.ToString();
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && long.TryParse(range.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start) ? start : null;
    }

    private static async Task<byte[]> Body(HttpRequest request) =>
        await AwsEndpointExtensions.ReadBodyAsync(request, MaxBody)
        ?? throw new AwsServiceException(AwsErrorCodes.LimitExceeded, $"A body may not exceed {MaxBody} bytes.");

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
        _ => (500, "UNKNOWN"),
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
