using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>Raw requests to the silo's registry (/v2/) with a tenant's token, as an image client sends them — and as none would.</summary>
public sealed class RegistryHttp(AwsSilo silo) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<AuthenticationHeaderValue> BasicAuthAsync(AwsJsonClient client)
    {
        var answer = await client.SendAsync("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken", "{}");
        using var document = JsonDocument.Parse(answer.Body);
        return new AuthenticationHeaderValue("Basic", document.RootElement.GetProperty("authorizationData")[0].GetProperty("authorizationToken").GetString());
    }

    /// <summary>A path under the endpoint (<c>/v2/...</c>) or a whole URL.</summary>
    /// <param name="headers">More request headers (Host among them: it replaces the one the URL gives).</param>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, AuthenticationHeaderValue? auth, byte[]? body = null, string? contentType = null, string? contentRange = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(url.StartsWith("http", StringComparison.Ordinal) ? url : silo.Endpoint + url));
        request.Headers.Authorization = auth;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
            if (contentRange is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
            }
        }

        return await _http.SendAsync(request);
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static byte[] Manifest(string configDigest, int configSize, params (string Digest, int Size)[] layers) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = configSize },
            layers = layers.Select(l => new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = l.Digest, size = l.Size }).ToArray(),
        });

    public void Dispose() => _http.Dispose();
}
