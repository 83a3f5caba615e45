using System.Diagnostics;
using System.Security.Cryptography;
using GrantSim.Aws;
using GrantSim.Client.Simulation;
using GrantSim.Crypto;
using GrantSim.Ecr;
using GrantSim.Grains;
using GrantSim.Identity;
using GrantSim.Kms;

namespace GrantSim.Client.Bench;

/// <summary>
/// Measures GrantSim against the ceilings of the same machine, in the same run: a grain call that
/// does nothing, and raw AES-256-GCM on the same buffers. Every figure is the median of
/// <see cref="BenchOptions.Runs"/> runs, with the spread.
/// </summary>
public sealed class BenchRunner(IGrainFactory grains, BenchOptions options, Action<string> progress)
{
    private const string Region = Regions.UsEast1;
    private static readonly long FirstAccount = 900_000_000_001;

    private readonly List<Figure> _figures = [];
    private readonly List<Ratio> _ratios = [];

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        if (options.Parts.Contains(BenchParts.Grain) || options.Parts.Contains(BenchParts.Kms))
        {
            await GrainCallsAsync(cancellationToken);
        }

        if (options.Parts.Contains(BenchParts.Kms))
        {
            await KmsThroughGrantsAsync(cancellationToken);
        }

        if (options.Parts.Contains(BenchParts.Data))
        {
            await DataPathAsync();
        }

        if (options.Parts.Contains(BenchParts.Scale))
        {
            await ScaleAsync(cancellationToken);
        }

        if (options.Parts.Contains(BenchParts.Http))
        {
            foreach (var cpu in await new HttpBench(options, progress).RunAsync(Measure, cancellationToken))
            {
                _figures.Add(cpu);
                _ratios.Add(new Ratio($"{cpu.Name} (ms)", cpu.Median, 0.1, AtMost: true));
            }
        }

        return new BenchReport(started, $"{Environment.ProcessorCount} cores, {RuntimeName()}", options.Runs, _figures, _ratios);
    }

    public Figure Find(string name) => _figures.Single(f => f.Name == name);

    private async Task GrainCallsAsync(CancellationToken cancellationToken)
    {
        progress("grain-call ceiling");
        foreach (var concurrency in new[] { 1, 64 })
        {
            var echo = grains.GetGrain<IBenchEchoGrain>(concurrency);
            await Measure($"grain call, concurrency {concurrency}", "calls/s",
                () => Throughput.MeasureAsync(worker => echo.Echo(worker), concurrency, options.Duration, cancellationToken));
        }
    }

    /// <summary>
    /// GenerateDataKey and Decrypt as ECR makes them: by ECR's service principal, allowed by the
    /// repository's grant, with the two-pair encryption context, each recorded in the audit trail.
    /// On one key shared by 64 repositories, and on 64 keys of 64 tenants.
    /// </summary>
    private async Task KmsThroughGrantsAsync(CancellationToken cancellationToken)
    {
        progress("KMS through grants: setting up 64 tenants");
        var accounts = World.AccountsFor(FirstAccount, 64);
        var world = await World.CreateAsync(grains, accounts, [Region]);
        var shared = new List<EcrCall>();
        var spread = new List<EcrCall>();
        for (var worker = 0; worker < 64; worker++)
        {
            var account = accounts[worker];
            shared.Add(await EcrCall.PrepareAsync(grains, world, accounts[0], $"bench/shared-{worker}"));
            spread.Add(await EcrCall.PrepareAsync(grains, world, account, "bench/spread"));
        }

        foreach (var (label, calls) in new[] { ("one key", shared), ("64 keys", spread) })
        {
            foreach (var concurrency in new[] { 1, 64 })
            {
                progress($"KMS through grants: {label}, concurrency {concurrency}");
                await Measure($"GenerateDataKey via grant, {label}, concurrency {concurrency}", "calls/s",
                    () => Throughput.MeasureAsync(worker => calls[worker].GenerateDataKeyAsync(), concurrency, options.Duration, cancellationToken));
                await Measure($"Decrypt via grant, {label}, concurrency {concurrency}", "calls/s",
                    () => Throughput.MeasureAsync(worker => calls[worker].DecryptAsync(), concurrency, options.Duration, cancellationToken));
            }
        }

        // Allocation per call is steady where timings are not (a busy machine): it shows the work a call does.
        foreach (var (name, call) in new (string, Func<Task>)[] { ("grain call", () => grains.GetGrain<IBenchEchoGrain>(1).Echo(1)), ("GenerateDataKey via grant", spread[0].GenerateDataKeyAsync), ("Decrypt via grant", spread[0].DecryptAsync) })
        {
            await Measure($"{name}: allocated per call (whole process)", "KiB", async () =>
            {
                const int calls = 2_000;
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < calls; i++)
                {
                    await call();
                }

                return (GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0 / calls;
            });
        }

        var ceiling = Find("grain call, concurrency 64").Median;
        foreach (var label in new[] { "one key", "64 keys" })
        {
            _ratios.Add(new Ratio($"GenerateDataKey ({label}) / grain-call ceiling, concurrency 64", Math.Round(Find($"GenerateDataKey via grant, {label}, concurrency 64").Median / ceiling, 3), 0.5));
            _ratios.Add(new Ratio($"Decrypt ({label}) / grain-call ceiling, concurrency 64", Math.Round(Find($"Decrypt via grant, {label}, concurrency 64").Median / ceiling, 3), 0.5));
        }
    }

    /// <summary>Pushes and pulls of large layers through ECR (KMS data key per object, sealed, stored) against AES-256-GCM alone on the same buffers.</summary>
    private async Task DataPathAsync()
    {
        progress($"data path: {options.LayerMiB} MiB layers");
        var account = World.AccountsFor(FirstAccount + 100, 1)[0];
        var world = await World.CreateAsync(grains, [account], [Region]);
        var ci = World.Principal(account, Region, Roles.Ci);
        await grains.GetGrain<IEcrServiceGrain>(Region).CreateRepository(ci, new CreateRepositoryRequest("bench/data", new EncryptionConfiguration(EncryptionType.Kms, world.CustomerKeys(account, Region)[0])));
        var ecr = grains.GetGrain<IEcrServiceGrain>(Region);
        var layer = RandomNumberGenerator.GetBytes(options.LayerMiB * 1024 * 1024);
        var megabytes = (double)layer.Length / 1_000_000 * options.Layers;
        var pushed = new List<string>();
        var round = 0;
        await Measure($"push of {options.LayerMiB} MiB layers", "MB/s", async () =>
        {
            // A different layer each time (an upload of a blob the repository holds is not the data
            // path), and its digest known before the push, as an image client knows it from the build.
            var layers = Enumerable.Range(0, options.Layers).Select(_ =>
            {
                var copy = layer.ToArray();
                BitConverter.TryWriteBytes(copy.AsSpan(0, 8), ++round);
                return (Content: copy, Digest: ContentDigest.Sha256(copy));
            }).ToArray();
            var config = System.Text.Encoding.UTF8.GetBytes($"{{\"round\":{round}}}");
            var configDigest = ContentDigest.Sha256(config);
            var stopwatch = Stopwatch.StartNew();
            foreach (var (content, digest) in layers)
            {
                await ecr.UploadBlob(ci, "bench/data", content, digest);
            }

            await ecr.UploadBlob(ci, "bench/data", config, configDigest);
            var manifest = ImageManifests.BuildOci(configDigest, config.LongLength, layers.Select(l => (l.Digest, l.Content.LongLength)).ToArray());
            await ecr.PutImage(ci, "bench/data", manifest, MediaTypes.OciManifest, $"v{round}");
            var elapsed = stopwatch.Elapsed;
            pushed.AddRange(layers.Select(l => l.Digest));
            return megabytes / elapsed.TotalSeconds;
        });
        await Measure($"pull of {options.LayerMiB} MiB layers", "MB/s", async () =>
        {
            var stopwatch = Stopwatch.StartNew();
            foreach (var digest in pushed.TakeLast(options.Layers))
            {
                await ecr.GetBlob(ci, "bench/data", digest);
            }

            return megabytes / stopwatch.Elapsed.TotalSeconds;
        });

        var key = AesGcmSealer.NewKey();
        var aad = System.Text.Encoding.UTF8.GetBytes("{\"aws:ecr:arn\":\"bench\",\"aws:s3:arn\":\"bench\"}");
        byte[] sealedLayer = [];
        await Measure($"raw AES-256-GCM seal of {options.LayerMiB} MiB", "MB/s", () =>
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < options.Layers; i++)
            {
                sealedLayer = AesGcmSealer.Seal(key, layer, aad);
            }

            return Task.FromResult(megabytes / stopwatch.Elapsed.TotalSeconds);
        });
        await Measure($"raw AES-256-GCM open of {options.LayerMiB} MiB", "MB/s", () =>
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < options.Layers; i++)
            {
                AesGcmSealer.TryOpen(key, sealedLayer, aad, out _);
            }

            return Task.FromResult(megabytes / stopwatch.Elapsed.TotalSeconds);
        });

        // Not a ceiling of its own: a push must also hash the layer to check its digest, and this is that pass's speed.
        await Measure($"raw SHA-256 of {options.LayerMiB} MiB", "MB/s", () =>
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < options.Layers; i++)
            {
                ContentDigest.Sha256(layer);
            }

            return Task.FromResult(megabytes / stopwatch.Elapsed.TotalSeconds);
        });

        _ratios.Add(new Ratio("push / raw AES-256-GCM seal", Math.Round(Find($"push of {options.LayerMiB} MiB layers").Median / Find($"raw AES-256-GCM seal of {options.LayerMiB} MiB").Median, 3), 0.5));
        _ratios.Add(new Ratio("pull / raw AES-256-GCM open", Math.Round(Find($"pull of {options.LayerMiB} MiB layers").Median / Find($"raw AES-256-GCM open of {options.LayerMiB} MiB").Median, 3), 0.5));
    }

    /// <summary>
    /// Many tenants, repositories and grants in one silo: the time to make them, the memory they
    /// hold, and ListGrants, page by page, on a key holding <see cref="BenchOptions.GrantsOnOneKey"/> grants.
    /// </summary>
    private async Task ScaleAsync(CancellationToken cancellationToken)
    {
        progress($"scale: {options.Tenants} tenants");
        var accounts = World.AccountsFor(FirstAccount + 1_000, options.Tenants);
        var before = Memory();
        var stopwatch = Stopwatch.StartNew();
        var keys = new string[accounts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts.Count), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (i, _) =>
        {
            var root = CallerIdentity.Root(Partition.Aws, accounts[i]);
            await grains.GetGrain<IIamGrain>(accounts[i]).PutPrincipal(new PrincipalDefinition($"role/{Roles.Ci}", [Roles.PolicyFor(Roles.Ci)]));
            keys[i] = (await grains.GetGrain<IKmsServiceGrain>(Region).CreateKey(root, new CreateKeyRequest("scale"))).Arn;
        });
        var tenantsMade = stopwatch.Elapsed;

        // The first tenant's key holds the timed grants; the other repositories spread over the other tenants.
        var onOneKey = options.GrantsOnOneKey / 2;
        var made = 0;
        // When the first tenth and the last tenth of the creates began and ended: a create must cost the same at any size.
        var tenth = Math.Max(1, options.Repositories / 10);
        var repositoriesStarted = stopwatch.Elapsed;
        TimeSpan firstTenthDone = default, lastTenthStarted = default;
        progress($"scale: {options.Repositories} repositories");
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Repositories), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (r, _) =>
        {
            var tenant = r < onOneKey ? 0 : 1 + ((r - onOneKey) % Math.Max(1, accounts.Count - 1));
            var account = accounts[tenant];
            await grains.GetGrain<IEcrServiceGrain>(Region).CreateRepository(World.Principal(account, Region, Roles.Ci),
                new CreateRepositoryRequest($"scale/r{r}", new EncryptionConfiguration(EncryptionType.Kms, keys[tenant])));
            var done = Interlocked.Increment(ref made);
            if (done == tenth)
            {
                firstTenthDone = stopwatch.Elapsed;
            }
            else if (done == options.Repositories - tenth)
            {
                lastTenthStarted = stopwatch.Elapsed;
            }

            if (done % 10_000 == 0)
            {
                progress($"scale: {done} repositories");
            }
        });
        var elapsed = stopwatch.Elapsed;
        var firstTenthRate = tenth / (firstTenthDone - repositoriesStarted).TotalSeconds;
        var lastTenthRate = tenth / (elapsed - lastTenthStarted).TotalSeconds;
        _figures.Add(Figure.Of("scale: repositories created per second, first 10%", "1/s", [firstTenthRate]));
        _figures.Add(Figure.Of("scale: repositories created per second, last 10%", "1/s", [lastTenthRate]));
        // "As fast": the same, within what one run's noise moves on this machine.
        _ratios.Add(new Ratio("scale: create rate, last 10% / first 10%", Math.Round(lastTenthRate / firstTenthRate, 3), 0.9));
        var after = Memory();
        _figures.Add(Figure.Of("scale: time to create the tenants", "s", [tenantsMade.TotalSeconds]));
        _figures.Add(Figure.Of($"scale: time to create {options.Repositories} repositories ({2 * options.Repositories} grants)", "s", [(elapsed - tenantsMade).TotalSeconds]));
        _figures.Add(Figure.Of("scale: repositories created per second", "1/s", [options.Repositories / (elapsed - tenantsMade).TotalSeconds]));
        _figures.Add(Figure.Of("scale: working set after", "MiB", [after.WorkingSet / 1048576.0]));
        _figures.Add(Figure.Of("scale: managed heap after", "MiB", [after.Heap / 1048576.0]));
        _figures.Add(Figure.Of("scale: working set per repository (with its 2 grants)", "KiB", [(after.WorkingSet - before.WorkingSet) / 1024.0 / options.Repositories]));
        _figures.Add(Figure.Of("scale: managed heap per repository (with its 2 grants)", "KiB", [(after.Heap - before.Heap) / 1024.0 / options.Repositories]));

        progress($"scale: ListGrants on a key holding {options.GrantsOnOneKey} grants");
        var admin = CallerIdentity.Root(Partition.Aws, accounts[0]);
        var kms = grains.GetGrain<IKmsServiceGrain>(Region);
        var latencies = new List<double>();
        var listed = 0;
        for (var run = 0; run < options.Runs; run++)
        {
            string? marker = null;
            listed = 0;
            do
            {
                var call = Stopwatch.StartNew();
                var page = await kms.ListGrants(admin, new ListGrantsRequest(keys[0], Limit: 100, Marker: marker));
                latencies.Add(call.Elapsed.TotalMilliseconds);
                listed += page.Grants.Count;
                marker = page.NextMarker;
            }
            while (marker is not null);
        }

        var sorted = latencies.Order().ToArray();
        _figures.Add(Figure.Of("scale: grants listed on the big key (all pages)", "grants", [listed]));
        _figures.Add(Figure.Of("scale: ListGrants page of 100, p50", "ms", [Percentile(sorted, 0.50)]));
        _figures.Add(Figure.Of("scale: ListGrants page of 100, p99", "ms", [Percentile(sorted, 0.99)]));
        _ratios.Add(new Ratio("scale: working set / 4 GiB", Math.Round(after.WorkingSet / (4.0 * 1024 * 1024 * 1024), 3), 1, AtMost: true));
        _ratios.Add(new Ratio("scale: ListGrants page of 100, p99 (ms)", Math.Round(Percentile(sorted, 0.99), 3), 50, AtMost: true));
    }

    private async Task Measure(string name, string unit, Func<Task<double>> measure)
    {
        var runs = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            // Each run starts from a collected heap: garbage of the run before is not this run's cost.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            runs.Add(await measure());
        }

        _figures.Add(Figure.Of(name, unit, runs));
        progress($"{name}: {_figures[^1].Median:0.##} {unit}");
    }

    private static (long WorkingSet, long Heap) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    private static double Percentile(IReadOnlyList<double> sorted, double quantile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string RuntimeName() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    /// <summary>One worker's ECR-made KMS calls: its repository's context, the key, and a data key to decrypt.</summary>
    private sealed class EcrCall
    {
        private readonly IKeyGrain _key;
        private readonly CallerIdentity _ecr;
        private readonly GenerateDataKeyRequest _generate;
        private DecryptRequest _decrypt = null!;

        private EcrCall(IKeyGrain key, CallerIdentity ecr, GenerateDataKeyRequest generate)
        {
            _key = key;
            _ecr = ecr;
            _generate = generate;
        }

        public static async Task<EcrCall> PrepareAsync(IGrainFactory grains, World world, string account, string repository)
        {
            var keyArn = world.CustomerKeys(account, Region)[0];
            var created = await grains.GetGrain<IEcrServiceGrain>(Region).CreateRepository(World.Principal(account, Region, Roles.Ci),
                new CreateRepositoryRequest(repository, new EncryptionConfiguration(EncryptionType.Kms, keyArn)));
            var context = EcrEncryptionContext.For(ObjectArns.For(Region, Guid.NewGuid(), StoredObjectKind.Blob, "sha256:" + new string('0', 64)), created.RepositoryArn);
            var call = new EcrCall(grains.GetGrain<IKeyGrain>(GrainKeys.Key(Arn.Parse(keyArn))), CallerIdentity.Service(Regions.EcrServicePrincipal(Region)),
                new GenerateDataKeyRequest(keyArn, context, DataKeys.Aes256));
            var generated = await call._key.GenerateDataKey(call._ecr, call._generate, withPlaintext: true);
            call._decrypt = new DecryptRequest(generated.CiphertextBlob, context, keyArn);
            return call;
        }

        public Task GenerateDataKeyAsync() => _key.GenerateDataKey(_ecr, _generate, withPlaintext: true);

        public Task DecryptAsync() => _key.Decrypt(_ecr, _decrypt);
    }
}
