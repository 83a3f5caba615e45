using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;

namespace GrantSim.Client.Bench;

/// <summary>
/// GenerateDataKey and Decrypt through a running silo's AWS endpoint (HTTP + SigV4) with the AWS
/// SDK for .NET, at concurrency 1 and 64, and the silo's CPU time per call from /proc when its
/// process id is known. As the endpoint's default tenant (test/test) unless AWS_ACCESS_KEY_ID and
/// AWS_SECRET_ACCESS_KEY name another.
/// </summary>
public sealed class HttpBench(BenchOptions options, Action<string> progress)
{
    private const string Region = "us-east-1";

    /// <param name="measure">Runs a measurement as often as the options say and keeps its figure.</param>
    /// <returns>The silo's CPU time per call, a figure per operation and concurrency (none without a process id).</returns>
    public async Task<IReadOnlyList<Figure>> RunAsync(Func<string, string, Func<Task<double>>, Task> measure, CancellationToken cancellationToken)
    {
        var endpoint = options.Endpoint ?? throw new InvalidOperationException("The http part needs the silo's AWS endpoint.");
        // No retries: a failed call must fail the benchmark, not hide in its figure.
        var credentials = new BasicAWSCredentials(
            Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "test", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "test");
        using var kms = new AmazonKeyManagementServiceClient(credentials,
            new AmazonKeyManagementServiceConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = Region, MaxErrorRetry = 0 });
        progress($"http: a key of its own at {endpoint}");
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = $"bench-http-{Guid.NewGuid():N}" }, cancellationToken)).KeyMetadata.Arn;
        var account = key.Split(':')[4];
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["aws:ecr:arn"] = $"arn:aws:ecr:us-east-1:{account}:repository/bench",
            ["aws:s3:arn"] = "arn:aws:s3:::bench/object",
        };
        var ciphertext = (await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key, KeySpec = DataKeySpec.AES_256, EncryptionContext = context }, cancellationToken))
            .CiphertextBlob.ToArray();

        var calls = new (string Name, Func<Task> Call)[]
        {
            ("GenerateDataKey", () => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key, KeySpec = DataKeySpec.AES_256, EncryptionContext = context }, cancellationToken)),
            ("Decrypt", () => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(ciphertext), EncryptionContext = context, KeyId = key }, cancellationToken)),
        };
        var figures = new List<Figure>();
        foreach (var (name, call) in calls)
        {
            foreach (var concurrency in new[] { 1, 64 })
            {
                var cpuPerCall = new List<double>();
                await measure($"AWS SDK for .NET {name} over HTTP, concurrency {concurrency}", "calls/s", async () =>
                {
                    long made = 0;
                    var cpuBefore = ServerCpuSeconds();
                    var rate = await Throughput.MeasureAsync(async _ =>
                    {
                        await call();
                        Interlocked.Increment(ref made);
                    }, concurrency, options.Duration, cancellationToken);
                    // The warm-up's calls are counted too: the CPU time covers the warm-up and the run.
                    if (cpuBefore is { } before && ServerCpuSeconds() is { } after)
                    {
                        cpuPerCall.Add((after - before) * 1000 / made);
                    }

                    return rate;
                });
                if (cpuPerCall.Count > 0)
                {
                    figures.Add(Figure.Of($"AWS SDK for .NET {name} over HTTP, concurrency {concurrency}: silo CPU per call", "ms", cpuPerCall));
                }
            }
        }

        return figures;
    }

    /// <summary>User plus system CPU time of the silo process, from /proc/PID/stat; null when unknown.</summary>
    private double? ServerCpuSeconds()
    {
        if (options.ServerPid is not { } pid || !File.Exists($"/proc/{pid}/stat"))
        {
            return null;
        }

        // The command name may hold spaces and parentheses: the fields start after its last ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
    }

    /// <summary>USER_HZ: 100 on Linux for every architecture .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;
}
