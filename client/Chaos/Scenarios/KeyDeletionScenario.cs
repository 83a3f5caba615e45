using GrantSim.Aws;
using GrantSim.Client.Images;
using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Kms;

namespace GrantSim.Client.Chaos.Scenarios;

/// <summary>
/// Keys holding repositories' data are scheduled for deletion. While pending, pulls fail. A third
/// are cancelled: the key comes back Disabled (not Enabled), pulls still fail, and once re-enabled
/// the data pulls back byte for byte. The rest reach the end of their window: the key is deleted,
/// and every pull fails saying the data is unrecoverable.
/// </summary>
public sealed class KeyDeletionScenario : ChaosScenario
{
    private const int WindowDays = 7;

    public override string Name => "key-deletion";

    public override int AccountBlock => 5;

    public override string Description => "Keys scheduled for deletion, cancelled (the key comes back Disabled) or deleted; after deletion the data is unrecoverable and says so.";

    public override async Task RunAsync(ScenarioContext context)
    {
        await context.RunWorkloadAsync(0.4, progressTo: 0.4);

        // A key of its own for each target, so that the story is not mixed up with the workload's keys.
        var targets = new List<(RepositoryTrack Track, PushedImage Image, string KeyArn)>();
        var wanted = Math.Max(3, context.OperationsFor(0.05));
        for (var i = 0; targets.Count < wanted && i < wanted * 2; i++)
        {
            var (account, region) = context.World.TenantRegions.ElementAt(i % context.World.TenantRegions.Count());
            var root = World.Principal(account, region, "root");
            var key = await Kms(context, region).CreateKey(root, new CreateKeyRequest($"chaos key-deletion {i}"));
            var track = context.Ledger.Track(account, region, $"doomed-{i}");
            if ((await context.Runner.CreateRepositoryAsync(track, new EncryptionConfiguration(EncryptionType.Kms, key.Arn))).Ok
                && (await context.Runner.PushImageAsync(track)).Ok)
            {
                targets.Add((track, track.Images[^1], key.Arn));
            }
        }

        context.ReportProgress(0.5);
        context.Faults.Open($"keys pending deletion ({WindowDays}-day window)");
        var pendingViolations = new List<string>();
        foreach (var (track, image, keyArn) in targets)
        {
            Require(await context.Runner.ChangeKeyStateAsync(OperationKinds.ScheduleKeyDeletion, track.Account, track.Region, keyArn, WindowDays), "ScheduleKeyDeletion");
            context.Faults.CountInjected("keys scheduled for deletion");
            var pull = await context.Runner.PullImageAsync(track, image);
            if (pull.Outcome != $"{AwsErrorCodes.Kms}({AwsErrorCodes.KmsInvalidState})")
            {
                pendingViolations.Add($"{track.Name}: a pull with its key pending deletion ended {pull.Outcome}");
            }
        }

        context.Check("A key pending deletion blocks pulls (KMSInvalidStateException)", targets.Count, pendingViolations);

        // Every third key is saved.
        var cancelled = targets.Where((_, i) => i % 3 == 0).ToArray();
        var deleted = targets.Where((_, i) => i % 3 != 0).ToArray();
        var cancelViolations = new List<string>();
        foreach (var (track, image, keyArn) in cancelled)
        {
            var kms = Kms(context, track.Region);
            Require(await context.Runner.ChangeKeyStateAsync(OperationKinds.CancelKeyDeletion, track.Account, track.Region, keyArn), "CancelKeyDeletion");
            context.Faults.CountInjected("deletions cancelled");
            var state = (await kms.DescribeKey(Admin(track), keyArn)).KeyState;
            var whileDisabled = await context.Runner.PullImageAsync(track, image);
            Require(await context.Runner.ChangeKeyStateAsync(OperationKinds.EnableKey, track.Account, track.Region, keyArn), "EnableKey");
            var afterEnable = await context.Runner.PullImageAsync(track, image);
            if (state != KeyState.Disabled)
            {
                cancelViolations.Add($"{track.Name}: after CancelKeyDeletion the key is {state}, not Disabled");
            }

            if (whileDisabled.Outcome != $"{AwsErrorCodes.Kms}({AwsErrorCodes.Disabled})")
            {
                cancelViolations.Add($"{track.Name}: a pull with the key Disabled ended {whileDisabled.Outcome}");
            }

            if (!afterEnable.Ok)
            {
                cancelViolations.Add($"{track.Name}: once re-enabled, the pull ended {afterEnable.Outcome}, not byte for byte");
            }
        }

        context.Check("A cancelled deletion leaves the key Disabled; re-enabled, the data comes back intact", cancelled.Length, cancelViolations);
        context.ReportProgress(0.6);

        // The window passes for the others.
        await context.Clock.AdvanceAsync(TimeSpan.FromDays(WindowDays) + TimeSpan.FromHours(1));
        context.Faults.Close($"keys pending deletion ({WindowDays}-day window)");
        var goneViolations = new List<string>();
        foreach (var (track, image, keyArn) in deleted)
        {
            context.Faults.CountInjected("keys deleted");
            var pull = await context.Runner.PullImageAsync(track, image);
            if (pull.Outcome != $"{AwsErrorCodes.Kms}({AwsErrorCodes.NotFound})" || pull.Message?.Contains("unrecoverable", StringComparison.Ordinal) != true)
            {
                goneViolations.Add($"{track.Name}: a pull after its key was deleted ended {pull.Outcome} '{pull.Message}', not a KmsException saying the data is unrecoverable");
            }

            var state = await Outcome(() => Kms(context, track.Region).DescribeKey(Admin(track), keyArn));
            if (state != $"{KeyState.Deleted}" && state != AwsErrorCodes.NotFound)
            {
                goneViolations.Add($"{track.Name}: its key is {state} after the window");
            }
        }

        context.Check("After deletion every pull fails and says the data is unrecoverable", deleted.Length, goneViolations);
        await context.RunWorkloadAsync(0.4, progressFrom: 0.6);
    }

    /// <summary>The scenario's own key changes must succeed: one that does not ends the scenario, reported as a finding.</summary>
    private static void Require(OperationResult result, string what)
    {
        if (!result.Ok)
        {
            throw new InvalidOperationException($"{what} ended {result.Outcome}: {result.Message}");
        }
    }

    private static async Task<string> Outcome(Func<Task<KeyMetadata>> describe)
    {
        try
        {
            return (await describe()).KeyState.ToString();
        }
        catch (AwsServiceException error)
        {
            return error.ErrorCode;
        }
    }

    private static Identity.CallerIdentity Admin(RepositoryTrack track) => World.Principal(track.Account, track.Region, Roles.Admin);

    private static Grains.IKmsServiceGrain Kms(ScenarioContext context, string region) => context.Grains.GetGrain<Grains.IKmsServiceGrain>(region);
}
