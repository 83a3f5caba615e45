using System.Security.Cryptography;
using System.Text;
using GrantSim.Grains;
using GrantSim.Hosting;

namespace GrantSim.Silo.Aws;

/// <summary>Wires the AWS endpoint into the silo's web host: its Kestrel port, its services, the tenants' IAM principals.</summary>
public static class AwsEndpointExtensions
{
    public static AwsOptions AddAwsEndpoint(this WebApplicationBuilder builder)
    {
        var options = builder.Services.AddValidatedSettings<AwsOptions>(builder.Configuration, AwsOptions.Section, aws => aws.Invalid());
        var tenants = AwsTenants.Load(options.TenantsFile);
        var secret = string.IsNullOrEmpty(options.TokenSecret) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(options.TokenSecret);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(tenants);
        builder.Services.AddSingleton(sp => new SigV4Authenticator(tenants, TimeProvider.System));
        var uploads = builder.Services.AddValidatedSettings<UploadLimits>(builder.Configuration, UploadLimits.Section, limits => limits.Invalid());
        builder.Services.AddSingleton(uploads);
        builder.Services.AddSingleton(sp => new UploadSessions(uploads, TimeProvider.System));
        builder.Services.AddSingleton(sp => new RegistryToken(secret, TimeProvider.System));
        builder.Services.AddSingleton<KmsApi>();
        builder.Services.AddSingleton<EcrApi>();
        builder.Services.AddSingleton<AwsJsonEndpoint>();
        builder.Services.AddSingleton<RegistryEndpoint>();
        builder.Services.AddHostedService<TenantPrincipalsLoader>();
        return options;
    }

    /// <summary>Requests to the AWS port go to the AWS endpoint (JSON 1.1 on POST /, the registry under /v2/); nothing else is served there.</summary>
    public static void MapAwsEndpoint(this WebApplication app, AwsOptions options)
    {
        if (options.Port == 0)
        {
            return;
        }

        app.MapWhen(context => context.Connection.LocalPort == options.Port, aws => aws.Run(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/v2"))
            {
                await context.RequestServices.GetRequiredService<RegistryEndpoint>().HandleAsync(context);
                return;
            }

            await HandleJsonAsync(context);
        }));
    }

    private static async Task HandleJsonAsync(HttpContext context)
    {
        var endpoint = context.RequestServices.GetRequiredService<AwsJsonEndpoint>();
        AwsJsonResponse response;
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/")
        {
            response = AwsJsonResponse.Error(new GrantSim.Aws.AwsServiceException(AwsJsonEndpoint.UnknownOperation,
                "The AWS endpoint serves JSON 1.1 requests (POST /) and the registry (/v2/)."));
        }
        else
        {
            var (body, refusal) = await ReadJsonBodyAsync(context.Request);
            response = body is null
                ? refusal!
                : await endpoint.HandleAsync(SignedRequestOf(context.Request, body));
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = AwsJsonEndpoint.ContentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString("D");
        await context.Response.WriteAsync(response.Body.ToJsonString());
    }

    /// <summary>The largest JSON body: ECR's UploadLayerPart carries 20 MiB, base64 makes it 4/3 of that.</summary>
    public const int MaxJsonBody = 30 * 1024 * 1024;

    public static SignedRequest SignedRequestOf(HttpRequest request, byte[] body) => new(
        request.Method,
        request.PathBase + request.Path.ToUriComponent(),
        request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
        request.Headers.Select(h => KeyValuePair.Create(h.Key, (IReadOnlyList<string>)h.Value.Select(v => v ?? "").ToArray())).ToArray(),
        body);

    /// <summary>Past the JSON limit, this much more is read and thrown away so that the refusal can be answered, not cut off.</summary>
    public const long MaxDrained = 256L * 1024 * 1024;

    /// <summary>
    /// A JSON request's body, or the answer that refuses it: 413 when it is over the limit (read to its end
    /// and thrown away, so the client gets the answer and not a broken pipe), 400 when it ends before its
    /// Content-Length or stops arriving.
    /// </summary>
    private static async Task<(byte[]? Body, AwsJsonResponse? Refusal)> ReadJsonBodyAsync(HttpRequest request)
    {
        try
        {
            var body = await ReadBodyAsync(request, MaxJsonBody);
            if (body is not null)
            {
                return (body, null);
            }
        }
        catch (BadHttpRequestException error) when (error.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            return (null, new AwsJsonResponse(400, AwsJsonResponse.ErrorBody(new GrantSim.Aws.AwsServiceException(JsonInput.SerializationException,
                $"The request body did not arrive whole: {error.Message}"))));
        }

        await DrainAsync(request);
        return (null, new AwsJsonResponse(413, AwsJsonResponse.ErrorBody(new GrantSim.Aws.AwsServiceException(JsonInput.SerializationException,
            $"The request body exceeds {MaxJsonBody} bytes."))));
    }

    /// <summary>Reads what is left of a refused body, up to <see cref="MaxDrained"/>, and forgets it.</summary>
    private static async Task DrainAsync(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxJsonBody + MaxDrained;
        }

        var buffer = new byte[81920];
        try
        {
            while (await request.Body.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // Beyond what is worth reading: the connection closes after the answer.
        }
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/>; a body that does not arrive whole throws BadHttpRequestException.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        // Kestrel's own limit (about 28 MiB) would cut off layers and upload parts before ours applies.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}

/// <summary>Puts the configured tenants' IAM users and roles into their accounts' IAM grains when the silo starts, so KMS and ECR can authorize them.</summary>
public sealed class TenantPrincipalsLoader(AwsTenants tenants, IGrainFactory grains) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (account, principal) in tenants.PrincipalDefinitions())
        {
            await grains.GetGrain<IIamGrain>(account).PutPrincipal(principal);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
