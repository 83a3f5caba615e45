using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>The answer to a raw JSON 1.1 request.</summary>
public sealed record AwsJsonAnswer(int StatusCode, string? ContentType, string Body)
{
    /// <summary>The error's <c>__type</c>, or null when the body is no AWS-shaped error.</summary>
    public string? ErrorType
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.TryGetProperty("__type", out var type) && document.RootElement.TryGetProperty("message", out var message)
                    && type.ValueKind == JsonValueKind.String && message.ValueKind == JsonValueKind.String
                    ? type.GetString()
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}

/// <summary>
/// Sends raw JSON 1.1 requests, signed with SigV4 as botocore signs them — written here from the
/// AWS documentation, independently of the server's code, so the tests can send what no SDK would.
/// </summary>
/// <param name="signingSecret">A secret to sign with instead of the tenant's own (a wrong one, for refusals).</param>
public sealed class AwsJsonClient(AwsSilo silo, int tenant, string region = "us-east-1", string? signingSecret = null) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<AwsJsonAnswer> SendAsync(string target, byte[] body, string? service = null, bool signTarget = true)
    {
        var headers = Sign(target, body, service, signTarget);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{Host}/"));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        foreach (var (name, value) in headers.Where(h => h.Key is not ("content-type" or "host")))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request);
        return new AwsJsonAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private string Host => $"127.0.0.1:{silo.AwsPort}";

    /// <summary>The AWS port, for requests written by hand.</summary>
    public int Port => silo.AwsPort;

    /// <summary>The headers of a JSON 1.1 request signed with SigV4 over <paramref name="body"/> (content-type, host, x-amz-date, x-amz-target, authorization).</summary>
    public IReadOnlyDictionary<string, string> Sign(string target, byte[] body, string? service = null, bool signTarget = true)
    {
        service ??= target.StartsWith("TrentService.", StringComparison.Ordinal) ? "kms" : "ecr";
        var (_, accessKeyId, tenantSecret) = AwsSilo.Tenant(tenant);
        var secret = signingSecret ?? tenantSecret;
        var amzDate = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var signed = new List<(string Name, string Value)> { ("content-type", "application/x-amz-json-1.1"), ("host", Host), ("x-amz-date", amzDate) };
        if (signTarget)
        {
            signed.Add(("x-amz-target", target.Trim()));
        }

        var signedHeaders = string.Join(';', signed.Select(h => h.Name));
        var canonical = string.Join('\n',
            "POST", "/", "",
            string.Join('\n', signed.Select(h => $"{h.Name}:{h.Value}")), "",
            signedHeaders,
            Convert.ToHexStringLower(SHA256.HashData(body)));
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return new Dictionary<string, string>
        {
            ["content-type"] = "application/x-amz-json-1.1",
            ["host"] = Host,
            ["X-Amz-Date"] = amzDate,
            ["X-Amz-Target"] = target,
            ["Authorization"] = $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}",
        };
    }

    public Task<AwsJsonAnswer> SendAsync(string target, string json) => SendAsync(target, Encoding.UTF8.GetBytes(json));

    public void Dispose() => _http.Dispose();
}
