using System.Text.Json;
using GrantSim.EndToEnd.Tests.Aws;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;

namespace GrantSim.EndToEnd.Tests.Bench;

/// <summary>
/// The HTTP benchmarks of docs/performance.md work on this machine: boto3 against the silo and
/// against nginx's canned reply (scripts/bench/kms_http.py), and the AWS SDK for .NET
/// (<c>bench --part http</c>), each with the silo's CPU time per call. Tiny settings: the figures
/// are checked for being there and sane, not for their size (speed is the benchmark's business).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HttpBenchTests(AwsSilo silo)
{
    private const int Tenant = 11;

    [SkippableFact]
    public async Task Boto3Bench_MeasuresTheSiloAndNginxCannedReply_WithTheSilosAndTheClientsCpuPerCall()
    {
        await silo.StartAsync();
        var python = ExternalProgram.RequireAt("/usr/bin/python3", "python3");
        ExternalProgram.RequireAt("/usr/lib/python3/dist-packages/boto3/__init__.py", "python3-boto3");
        ExternalProgram.RequireAt("/usr/sbin/nginx", "nginx-light");
        var json = Path.Combine(Path.GetTempPath(), $"grantsim-bench-boto3-{Guid.NewGuid():N}.json");
        var environment = new Dictionary<string, string>(new AwsCli(silo, Tenant).Environment) { ["PYTHONNOUSERSITE"] = "1" };

        var result = await AwsCli.RunProgramAsync(python,
            [Path.Combine(Repository.Root, "scripts", "bench", "kms_http.py"), "--endpoint", silo.Endpoint, "--pid", silo.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--runs", "1", "--seconds", "0.3", "--threads", "2", "--no-moto", "--json", json], environment);

        Assert.True(result.ExitCode == 0, result.Output);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        File.Delete(json);
        var figures = report.RootElement.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("median").GetDouble());
        foreach (var (operation, per) in new[] { ("GenerateDataKey", "call"), ("Decrypt", "call"), ("CreateGrant + RetireGrant", "pair") })
        {
            foreach (var load in new[] { "sequential", "2 threads" })
            {
                Assert.True(figures[$"boto3 {operation}, {load}: GrantSim"] > 0, result.Output);
                Assert.True(figures[$"boto3 {operation}, {load}: nginx canned reply"] > 0, result.Output);
                // /proc counts in 10 ms ticks, so a short run may see none; never a second per call.
                Assert.InRange(figures[$"boto3 {operation}, {load}: silo CPU per {per}"], 0, 1000);
                Assert.InRange(figures[$"boto3 {operation}, {load}: client CPU per {per} against GrantSim"], 0, 1000);
                // The client is Python: its threads share one interpreter, so it never uses much more than a core.
                Assert.InRange(figures[$"boto3 {operation}, {load}: client cores against nginx canned"], 0, 2);
                Assert.True(figures.ContainsKey($"boto3 {operation}, {load}: other processes' cores during GrantSim"), result.Output);
            }
        }

        Assert.True(figures.Where(f => f.Key.EndsWith("silo CPU per call", StringComparison.Ordinal)).Sum(f => f.Value) > 0, "the silo's CPU time was never seen to move");
        Assert.Equal("left out (--no-moto)", report.RootElement.GetProperty("moto").GetString());
        var ratios = report.RootElement.GetProperty("ratios").EnumerateArray().ToArray();
        Assert.Equal(12, ratios.Length);
        Assert.Contains(ratios, r => r.GetProperty("name").GetString() == "boto3 Decrypt, 2 threads: GrantSim / nginx canned reply" && r.GetProperty("target").GetDouble() == 0.8);
        // A ratio always says whether it can be trusted: null, or why not (a busy machine).
        Assert.All(ratios, r => Assert.True(r.TryGetProperty("untrusted", out _), r.ToString()));
        Assert.Contains("| call | nginx canned | GrantSim | GrantSim / nginx |", result.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DotNetSdkBench_MeasuresGenerateDataKeyAndDecryptOverHttp_WithTheSilosCpuPerCall()
    {
        await silo.StartAsync();
        var json = Path.Combine(Path.GetTempPath(), $"grantsim-bench-dotnet-{Guid.NewGuid():N}.json");

        var result = await AwsCli.RunProgramAsync("dotnet",
            [Repository.ClientDll, "bench", "--part", "http", "--quick", "--endpoint", silo.Endpoint,
             "--server-pid", silo.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", json],
            new AwsCli(silo, Tenant).Environment);

        Assert.True(result.ExitCode == 0, result.Output);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        File.Delete(json);
        var figures = report.RootElement.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("median").GetDouble());
        foreach (var operation in new[] { "GenerateDataKey", "Decrypt" })
        {
            foreach (var concurrency in new[] { 1, 64 })
            {
                Assert.True(figures[$"AWS SDK for .NET {operation} over HTTP, concurrency {concurrency}"] > 0, result.Output);
                Assert.InRange(figures[$"AWS SDK for .NET {operation} over HTTP, concurrency {concurrency}: silo CPU per call"], 0, 1000);
            }
        }

        Assert.True(figures.Where(f => f.Key.EndsWith("silo CPU per call", StringComparison.Ordinal)).Sum(f => f.Value) > 0, "the silo's CPU time was never seen to move");
    }
}
