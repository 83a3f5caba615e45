using System.Globalization;
using System.Text.Json;
using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;
using GrantSim.Grains;
using GrantSim.Hosting;

namespace GrantSim.EndToEnd.Tests.Silo;

/// <summary>A silo process as `dotnet run --project silo` starts it, read from outside: /metrics in Prometheus text, and JSON log lines.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class MetricsEndpointTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Silo_ServesPrometheusMetrics_AndWritesJsonLogLinesWithTraceIds()
    {
        var (siloPort, gatewayPort, webPort) = (Ports.Free(), Ports.Free(), Ports.Free());
        string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
        using var silo = ManagedProcess.Start("silo", "dotnet", [Repository.SiloDll], new Dictionary<string, string>
        {
            ["GrantSim__Silo__SiloPort"] = Text(siloPort),
            ["GrantSim__Silo__GatewayPort"] = Text(gatewayPort),
            ["GrantSim__Silo__WebPort"] = Text(webPort),
            ["GrantSim__Telemetry__JsonLogs"] = "true",
            ["Logging__LogLevel__GrantSim"] = "Debug",
        });
        var metricsUrl = $"http://127.0.0.1:{webPort}/metrics";
        try
        {
            await Eventually.HoldsAsync(async () => (await Http.GetAsync($"http://127.0.0.1:{webPort}/health")).IsSuccessStatusCode, TimeSpan.FromMinutes(1), "the silo answers /health");

            var options = new GrantSimOptions { Silo = { PrimaryGatewayPort = gatewayPort } };
            await using (var client = await ClusterConnection.ConnectAsync(options))
            {
                const string account = "830000000001";
                const string region = "us-east-1";
                await World.CreateAsync(client.Client, [account], [region]);
                await client.Client.GetGrain<IEcrServiceGrain>(region)
                    .CreateRepository(World.Principal(account, region, Roles.Ci), new CreateRepositoryRequest("scraped/app", EncryptionConfiguration.Aes256));
            }

            using var response = await Http.GetAsync(metricsUrl);
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine(string.Join('\n', body.Split('\n').Where(l => l.Contains("grantsim", StringComparison.Ordinal)).Take(30)));

            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            Assert.Contains("# TYPE grantsim_kms_requests_total counter", body, StringComparison.Ordinal);
            Assert.Matches("""grantsim_kms_requests_total\{[^}]*grantsim_operation="CreateKey"[^}]*grantsim_tenant="830000000001"[^}]*\} 2""", body); // two keys
            Assert.Matches("""grantsim_ecr_repositories\{[^}]*aws_ecr_encryption_type="AES256"[^}]*\} 1""", body);
            Assert.Contains("grantsim_ecr_request_duration_seconds_bucket{", body, StringComparison.Ordinal);
            Assert.Contains("# TYPE orleans_", body, StringComparison.Ordinal);

            // One JSON object per line; the ECR request's line has its fields and the trace id of its span.
            var ecrLines = silo.Output.Split('\n')
                .Where(l => l.StartsWith('{') && l.Contains("\"EventId\":200", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement)
                .ToArray();
            var line = Assert.Single(ecrLines, l => l.GetProperty("State").GetProperty("Operation").GetString() == EcrOperations.CreateRepository);
            Assert.Equal("scraped/app", line.GetProperty("State").GetProperty("Repository").GetString());
            Assert.Contains(line.GetProperty("Scopes").EnumerateArray(), scope =>
                scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var traceId) && traceId.GetString()!.Length == 32);
        }
        catch
        {
            output.WriteLine(silo.Tail(60));
            throw;
        }
    }
}
