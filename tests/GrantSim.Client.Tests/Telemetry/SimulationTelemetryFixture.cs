using System.Security.Cryptography;
using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;
using GrantSim.Grains;
using GrantSim.Kms;
using Microsoft.Extensions.Logging;

namespace GrantSim.Client.Tests.Telemetry;

/// <summary>
/// One seeded simulation on an embedded silo with every span, metric and log line captured, plus
/// KMS calls the fixture makes itself so that it knows real plaintext data keys and grant tokens
/// of the run, and which of them must never show up in telemetry.
/// </summary>
public sealed class SimulationTelemetryFixture : IAsyncLifetime
{
    public const string Region = "us-east-1";

    public SimulationOptions Options { get; } = new() { Tenants = 2, Operations = 300, Seed = 21, FirstAccount = 540_000_000_001 };

    public TelemetryCapture Capture { get; } = TelemetryCapture.Start();

    public CapturedLogs Logs { get; } = new();

    public EmbeddedCluster Cluster { get; private set; } = null!;

    public World World { get; private set; } = null!;

    public List<byte[]> DataKeys { get; } = [];

    public List<string> GrantTokens { get; } = [];

    public List<string> GrantIds { get; } = [];

    public async Task InitializeAsync()
    {
        Cluster = await EmbeddedCluster.StartAsync(configureHost: host =>
        {
            host.Logging.ClearProviders();
            host.Logging.AddProvider(Logs);
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            host.Logging.AddFilter("GrantSim", LogLevel.Debug);
            Capture.ConfigureSilo(host);
        });
        World = await World.CreateAsync(Cluster.Client, World.AccountsFor(Options.FirstAccount, Options.Tenants), Options.Regions);
        var runner = new SimulationRunner(Cluster.Client, new ClusterClock(Cluster.Client), World, Options);
        await runner.RunAsync();
        foreach (var account in World.Accounts)
        {
            await UseSecretsAsync(account);
        }

        Capture.Flush(Cluster.SiloServices);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Capture.Dispose();
    }

    /// <summary>GenerateDataKey, Encrypt of the data key, CreateGrant, then a Decrypt and a RetireGrant that present the grant token.</summary>
    private async Task UseSecretsAsync(string account)
    {
        var kms = Cluster.Client.GetGrain<IKmsServiceGrain>(Region);
        var admin = World.Principal(account, Region, Roles.Admin);
        var ci = World.Principal(account, Region, Roles.Ci);
        // A key of its own: the simulation may have disabled or deleted the tenant's keys.
        var key = (await kms.CreateKey(World.Principal(account, Region, "root"), new CreateKeyRequest("telemetry scan"))).Arn;
        var context = EncryptionContext.From([new("purpose", "telemetry-scan")]);

        var generated = await kms.GenerateDataKey(admin, new GenerateDataKeyRequest(key, context));
        DataKeys.Add(generated.Plaintext!);
        var secret = RandomNumberGenerator.GetBytes(32);
        DataKeys.Add(secret);
        var encrypted = await kms.Encrypt(admin, new EncryptRequest(key, secret, context));

        var grant = await kms.CreateGrant(admin, new CreateGrantRequest(key, ci.Principal, [KmsOperations.Decrypt], RetiringPrincipal: ci.Principal, Name: "telemetry-scan"));
        GrantTokens.Add(grant.GrantToken);
        GrantIds.Add(grant.GrantId);
        var decrypted = await kms.Decrypt(ci, new DecryptRequest(encrypted.CiphertextBlob, context, key, [grant.GrantToken]));
        DataKeys.Add(decrypted.Plaintext);
        await kms.RetireGrant(ci, new RetireGrantRequest(GrantToken: grant.GrantToken, KeyId: key, GrantId: grant.GrantId));
    }
}
