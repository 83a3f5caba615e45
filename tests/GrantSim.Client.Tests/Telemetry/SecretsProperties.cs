using System.Security.Cryptography;
using System.Text.Json;
using GrantSim.Audit;
using GrantSim.Aws;
using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;
using GrantSim.Grains;
using GrantSim.Kms;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace GrantSim.Client.Tests.Telemetry;

/// <summary>An embedded silo whose every log line, span and metric is kept, for the secrets property.</summary>
public sealed class SecretsCluster : IAsyncLifetime
{
    public TelemetryCapture Capture { get; } = TelemetryCapture.Start();

    public CapturedLogs Logs { get; } = new();

    public EmbeddedCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await EmbeddedCluster.StartAsync(configureHost: host =>
        {
            host.Logging.ClearProviders();
            host.Logging.AddProvider(Logs);
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            host.Logging.AddFilter("GrantSim", LogLevel.Debug);
            Capture.ConfigureSilo(host);
        });

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Capture.Dispose();
    }
}

/// <summary>
/// Secrets stay secret, whatever happens: random sequences of the calls that handle them — grants
/// made and used by token, tokens of this key, of another key and forged, presented where they work
/// and where they do not, data keys generated and decrypted, grants retired by token, revoked, listed,
/// keys disabled in between so that calls fail — and then no grant token (genuine, foreign or forged)
/// and no data key (in base64, base64url or hex) is in any ListGrants or ListRetirableGrants answer,
/// the trail (parameters and error messages), an error message, a log line, a span or a metric.
/// </summary>
public sealed class SecretsProperties(SecretsCluster fixture, ITestOutputHelper output) : IClassFixture<SecretsCluster>
{
    private const string Region = Regions.UsEast1;
    private static long _nextAccount = 930_000_000_001;

    private enum Step { CreateGrant, GenerateDataKey, DecryptWithToken, DecryptWithForeignToken, DescribeWithForgedToken, RetireByToken, RetireByForgedToken, Revoke, ListGrants, ListRetirable, Disable, Enable, EncryptWithToken }

    [Property(MaxTest = 25)]
    public Property NoSecret_ReachesAnyAnswerTrailLogSpanOrMetric(PositiveInt seed)
    {
        var (secrets, seen) = RunAsync(seed.Get).GetAwaiter().GetResult();
        fixture.Capture.Flush(fixture.Cluster.SiloServices);
        var corpus = seen + fixture.Capture.Text(fixture.Logs);
        var leaks = secrets.Where(s => corpus.Contains(s, StringComparison.Ordinal)).ToArray();
        return (leaks.Length == 0).Label($"seed {seed.Get}: secrets found: {string.Join(", ", leaks.Select(l => l[..Math.Min(16, l.Length)] + "…"))}");
    }

    private async Task<(IReadOnlyList<string> Secrets, string Seen)> RunAsync(int seed)
    {
        var random = new Random(seed);
        var grains = fixture.Cluster.Client;
        var account = Interlocked.Increment(ref _nextAccount).ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
        var world = await World.CreateAsync(grains, [account], [Region]);
        var kms = grains.GetGrain<IKmsServiceGrain>(Region);
        var admin = World.Principal(account, Region, Roles.Admin);
        var ci = World.Principal(account, Region, Roles.Ci);
        var keys = world.CustomerKeys(account, Region);
        var secrets = new List<string>();
        var seen = new System.Text.StringBuilder();
        var grants = new List<(string Key, string Id, string Token)>();
        var ciphertexts = new List<(string Key, byte[] Blob, EncryptionContext Context, string? Token)>();

        string Forged() => "AQ" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(random.Next(16, 120)));
        string ForgedKept()
        {
            var forged = Forged();
            secrets.Add(forged);
            return forged;
        }

        void KeepDataKey(byte[] key) => secrets.AddRange(SimulationTelemetryTests.Encodings(key));

        for (var i = 0; i < 20; i++)
        {
            var key = keys[random.Next(keys.Count)];
            var context = EncryptionContext.Of(("step", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var grant = grants.Count > 0 ? grants[random.Next(grants.Count)] : default;
            var step = (Step)random.Next(Enum.GetValues<Step>().Length);
            try
            {
                switch (step)
                {
                    case Step.CreateGrant:
                        var made = await kms.CreateGrant(admin, new CreateGrantRequest(key, ci.Principal,
                            [KmsOperations.Decrypt, KmsOperations.Encrypt, KmsOperations.GenerateDataKey, KmsOperations.DescribeKey], RetiringPrincipal: ci.Principal,
                            Name: random.Next(2) == 0 ? null : $"g{random.Next(3)}", GrantTokens: random.Next(3) == 0 ? [ForgedKept()] : null));
                        secrets.Add(made.GrantToken);
                        grants.Add((key, made.GrantId, made.GrantToken));
                        break;
                    case Step.GenerateDataKey:
                        var generated = await kms.GenerateDataKey(grant.Token is null ? admin : ci,
                            new GenerateDataKeyRequest(grant.Key ?? key, context, GrantTokens: grant.Token is null ? null : [grant.Token]));
                        KeepDataKey(generated.Plaintext!);
                        ciphertexts.Add((generated.KeyId, generated.CiphertextBlob, context, grant.Token));
                        break;
                    case Step.EncryptWithToken:
                        var plaintext = RandomNumberGenerator.GetBytes(32);
                        KeepDataKey(plaintext);
                        var encrypted = await kms.Encrypt(ci, new EncryptRequest(grant.Key ?? key, plaintext, context, grant.Token is null ? [ForgedKept()] : [grant.Token]));
                        ciphertexts.Add((encrypted.KeyId, encrypted.CiphertextBlob, context, grant.Token));
                        break;
                    case Step.DecryptWithToken when ciphertexts.Count > 0:
                        var blob = ciphertexts[random.Next(ciphertexts.Count)];
                        KeepDataKey((await kms.Decrypt(ci, new DecryptRequest(blob.Blob, random.Next(4) == 0 ? context : blob.Context, blob.Key, blob.Token is null ? null : [blob.Token]))).Plaintext);
                        break;
                    case Step.DecryptWithForeignToken when ciphertexts.Count > 0 && grants.Count > 0:
                        var other = ciphertexts[random.Next(ciphertexts.Count)];
                        var foreign = grants.FirstOrDefault(g => g.Key != other.Key);
                        KeepDataKey((await kms.Decrypt(ci, new DecryptRequest(other.Blob, other.Context, other.Key, [foreign.Token ?? ForgedKept()]))).Plaintext);
                        break;
                    case Step.DescribeWithForgedToken:
                        await kms.DescribeKey(ci, key, [ForgedKept(), grant.Token ?? ForgedKept()]);
                        break;
                    case Step.RetireByToken when grant.Token is not null:
                        await kms.RetireGrant(ci, new RetireGrantRequest(GrantToken: grant.Token));
                        break;
                    case Step.RetireByForgedToken:
                        await kms.RetireGrant(ci, new RetireGrantRequest(GrantToken: ForgedKept()));
                        break;
                    case Step.Revoke when grant.Id is not null:
                        await kms.RevokeGrant(admin, grant.Key, grant.Id);
                        break;
                    case Step.ListGrants:
                        seen.AppendLine(JsonSerializer.Serialize(await kms.ListGrants(admin, new ListGrantsRequest(key))));
                        break;
                    case Step.ListRetirable:
                        seen.AppendLine(JsonSerializer.Serialize(await kms.ListRetirableGrants(admin, ci.Principal)));
                        break;
                    case Step.Disable:
                        await kms.DisableKey(admin, key);
                        break;
                    case Step.Enable:
                        await kms.EnableKey(admin, key);
                        break;
                }
            }
            catch (AwsServiceException error)
            {
                seen.AppendLine(error.ErrorCode).AppendLine(error.Message);
            }
        }

        var trail = await grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, Region)).Query(new AuditQuery());
        seen.AppendLine(JsonSerializer.Serialize(trail));
        Assert.NotEmpty(trail);
        output.WriteLine($"seed {seed}: {grants.Count} grants, {ciphertexts.Count} ciphertexts, {secrets.Count} secret forms, {trail.Count} trail events");
        return (secrets, seen.ToString());
    }
}
