using GrantSim.Aws;
using GrantSim.Client.Simulation;
using GrantSim.Grains;
using GrantSim.Kms;
using GrantSim.Simulation;

namespace GrantSim.Client.Chaos.Scenarios;

/// <summary>
/// Grant propagation delay switched on (simulated time). A new grant used without its token inside
/// the delay is denied and with the token succeeds; once the delay has passed it works without the
/// token. A revoked grant may still work inside the delay, and authorizes nothing after it. ECR's
/// own grants are used with their tokens, so repositories keep working throughout.
/// </summary>
public sealed class PropagationScenario : ChaosScenario
{
    public static readonly TimeSpan Delay = TimeSpan.FromMinutes(5);

    public override string Name => "propagation";

    public override int AccountBlock => 6;

    public override string Description => "Grant propagation delay of 5 simulated minutes; uses without a token inside the window are denied, with a token they succeed.";

    public override TimeSpan PropagationDelay => Delay;

    public override async Task RunAsync(ScenarioContext context)
    {
        await context.SetTenantSettingsAsync(FaultPlan.None, Delay);
        context.Faults.Open($"propagation delay {Delay.TotalMinutes:0} simulated minutes");
        await context.RunWorkloadAsync(0.3, progressTo: 0.3);

        var grants = new List<(string Account, string Region, string KeyArn, CreateGrantResponse Grant, EncryptionContext Context)>();
        var wanted = Math.Max(3, context.OperationsFor(0.05));
        var inWindow = new List<string>();
        var keys = new List<(string Account, string Region, string KeyArn)>();
        for (var i = 0; i < wanted; i++)
        {
            var (account, region) = context.World.TenantRegions.ElementAt(i % context.World.TenantRegions.Count());
            var kms = context.Grains.GetGrain<IKmsServiceGrain>(region);

            // A key of its own: the workload disables and schedules the deletion of the tenants' keys.
            var keyArn = (await kms.CreateKey(World.Principal(account, region, "root"), new CreateKeyRequest($"chaos propagation {i}"))).Arn;
            keys.Add((account, region, keyArn));
            var admin = World.Principal(account, region, Roles.Admin);
            var grantee = World.Principal(account, region, Roles.Reader);
            var encryptionContext = EncryptionContext.From(new Dictionary<string, string> { ["purpose"] = $"propagation-{i}" });
            var outcome = await Outcome(() => kms.CreateGrant(admin, new CreateGrantRequest(keyArn, grantee.Principal, [KmsOperations.GenerateDataKey, KmsOperations.Decrypt], Name: $"propagation-{i}")));
            if (outcome.Result is not { } grant)
            {
                inWindow.Add($"CreateGrant on {keyArn} ended {outcome.Outcome}");
                continue;
            }

            context.Faults.CountInjected("grants created inside the propagation delay");
            grants.Add((account, region, keyArn, grant, encryptionContext));
            var withoutToken = await Outcome(() => kms.GenerateDataKey(grantee, new GenerateDataKeyRequest(keyArn, encryptionContext)));
            var withToken = await Outcome(() => kms.GenerateDataKey(grantee, new GenerateDataKeyRequest(keyArn, encryptionContext, GrantTokens: [grant.GrantToken])));
            if (withoutToken.Outcome != AwsErrorCodes.AccessDenied)
            {
                inWindow.Add($"grant {grant.GrantId[..12]}: used without its token inside the delay, GenerateDataKey ended {withoutToken.Outcome}, not AccessDeniedException");
            }

            if (withToken.Result is null)
            {
                inWindow.Add($"grant {grant.GrantId[..12]}: used with its token inside the delay, GenerateDataKey ended {withToken.Outcome}");
            }
        }

        context.Check("Inside the delay, a new grant works with its token and not without", wanted * 2, inWindow);
        context.ReportProgress(0.5);

        // A revoke takes the delay to be effective everywhere too; once it has passed, nothing.
        foreach (var (account, region, keyArn, grant, _) in grants)
        {
            await context.Grains.GetGrain<IKmsServiceGrain>(region).RevokeGrant(World.Principal(account, region, Roles.Admin), keyArn, grant.GrantId);
        }

        await context.Clock.AdvanceAsync(Delay + TimeSpan.FromSeconds(1));
        var afterWindow = new List<string>();
        foreach (var (account, region, keyArn, grant, encryptionContext) in grants)
        {
            var grantee = World.Principal(account, region, Roles.Reader);
            var outcome = await Outcome(() => context.Grains.GetGrain<IKmsServiceGrain>(region).GenerateDataKey(grantee, new GenerateDataKeyRequest(keyArn, encryptionContext, GrantTokens: [grant.GrantToken])));
            if (outcome.Result is not null)
            {
                afterWindow.Add($"grant {grant.GrantId[..12]}: revoked more than the delay ago, yet GenerateDataKey succeeded");
            }
        }

        context.Check("After the delay, a revoked grant authorizes nothing, token or not", grants.Count, afterWindow);

        // A fresh grant, once the delay has passed, works without its token.
        var settled = new List<string>();
        foreach (var (account, region, keyArn) in keys)
        {
            var kms = context.Grains.GetGrain<IKmsServiceGrain>(region);
            var grantee = World.Principal(account, region, Roles.Reader);
            var grant = await kms.CreateGrant(World.Principal(account, region, Roles.Admin), new CreateGrantRequest(keyArn, grantee.Principal, [KmsOperations.GenerateDataKey], Name: "propagation-settled"));
            await context.Clock.AdvanceAsync(Delay + TimeSpan.FromSeconds(1));
            var outcome = await Outcome(() => kms.GenerateDataKey(grantee, new GenerateDataKeyRequest(keyArn)));
            if (outcome.Result is null)
            {
                settled.Add($"grant {grant.GrantId[..12]}: the delay has passed, yet GenerateDataKey without its token ended {outcome.Outcome}");
            }

            await kms.RevokeGrant(World.Principal(account, region, Roles.Admin), keyArn, grant.GrantId);
        }

        context.Check("After the delay, a new grant works without its token", keys.Count, settled);
        context.ReportProgress(0.6);
        await context.RunWorkloadAsync(0.7, progressFrom: 0.6);
    }

    private static async Task<(string Outcome, T? Result)> Outcome<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return (OperationKinds.Ok, await call());
        }
        catch (AwsServiceException error)
        {
            return (OperationLog.OutcomeOf(error), null);
        }
    }
}
