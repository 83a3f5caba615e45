using GrantSim.Client.Simulation;
using GrantSim.Ecr;
using GrantSim.Grains;

namespace GrantSim.Client.Chaos.Scenarios;

/// <summary>
/// Repositories deleted by a principal without kms:RetireGrant: ECR deletes them but cannot retire
/// their grants, and says so in the documented message. The leftover grants are listed (the
/// repository registry's reports, and ListGrants on the key), and an administrator's manual
/// retirement, the documented troubleshooting, clears them.
/// </summary>
public sealed class RetireDeniedScenario : ChaosScenario
{
    public override string Name => "retire-denied";

    public override int AccountBlock => 4;

    public override string Description => "Deleters lacking kms:RetireGrant: every such delete returns the documented message, the leftover grants are listed, and an administrator's manual retirement clears them.";

    public override async Task RunAsync(ScenarioContext context)
    {
        await context.RunWorkloadAsync(0.4, progressTo: 0.4);

        var targets = new List<RepositoryTrack>();
        var wanted = Math.Max(3, context.OperationsFor(0.1));
        for (var i = 0; targets.Count < wanted && i < wanted * 2; i++)
        {
            var (account, region) = context.World.TenantRegions.ElementAt(i % context.World.TenantRegions.Count());
            var track = context.Ledger.Track(account, region, $"denied-{i}");
            if ((await context.Runner.CreateRepositoryAsync(track, new EncryptionConfiguration(EncryptionType.Kms, context.World.CustomerKeys(account, region)[0]))).Ok)
            {
                await context.Runner.PushImageAsync(track);
                targets.Add(track);
            }
        }

        context.ReportProgress(0.5);
        var messages = new List<string>();
        var listed = new List<string>();
        var deleted = new List<(RepositoryTrack Track, string RepositoryArn, string KeyArn)>();
        foreach (var track in targets)
        {
            var repositoryArn = track.Live!.RepositoryArn;
            var keyArn = track.Live.EncryptionConfiguration.KmsKey!;
            var result = await context.Runner.DeleteRepositoryAsync(track, Roles.Deployer, force: true);
            context.Faults.CountInjected("deletes by a principal without kms:RetireGrant");
            var expected = EcrMessages.GrantsNotRetired(track.Name, keyArn);
            if (result.Outcome != $"{Aws.AwsErrorCodes.Kms}({Aws.AwsErrorCodes.AccessDenied})" || result.Message != expected)
            {
                messages.Add($"{track.Name}: the delete ended {result.Outcome} '{result.Message}', expected KmsException(AccessDeniedException) '{expected}'");
                continue;
            }

            deleted.Add((track, repositoryArn, keyArn));

            // Listed twice over: in ECR's leftover report, and as active grants on the key naming the repository.
            var reports = await context.Grains.GetGrain<IRepositoryRegistryGrain>(GrainKeys.TenantRegion(track.Account, track.Region)).GetLeftoverReports();
            var reported = reports.Where(r => r.RepositoryArn == repositoryArn).SelectMany(r => r.GrantIds).ToHashSet(StringComparer.Ordinal);
            var onKey = await ActiveGrantsNaming(context, track, keyArn, repositoryArn);
            if (reported.Count != 2 || !reported.SetEquals(onKey))
            {
                listed.Add($"{track.Name}: {reported.Count} grants reported, {onKey.Count} active on the key naming it; expected the same two");
            }
        }

        context.Check("Every delete without kms:RetireGrant returns the documented message", targets.Count, messages);
        context.Check("The grants such a delete leaves are listed", deleted.Count, listed);
        context.ReportProgress(0.7);

        foreach (var (account, region) in deleted.Select(d => (d.Track.Account, d.Track.Region)).Distinct())
        {
            await context.Runner.RetireLeftoverGrantsAsync(account, region);
        }

        var remaining = new List<string>();
        foreach (var (track, repositoryArn, keyArn) in deleted)
        {
            var active = await ActiveGrantsNaming(context, track, keyArn, repositoryArn);
            if (active.Count > 0)
            {
                remaining.Add($"{track.Name}: {active.Count} grants still active after the administrator's retirement");
            }
        }

        context.Check("An administrator's manual retirement clears the leftovers", deleted.Count, remaining);
        context.Figure("grants left by denied deletes, then retired by hand", deleted.Count * 2 - remaining.Count);
        await context.RunWorkloadAsync(0.3, progressFrom: 0.7);
    }

    private static async Task<HashSet<string>> ActiveGrantsNaming(ScenarioContext context, RepositoryTrack track, string keyArn, string repositoryArn)
    {
        var grants = await KmsPaging.AllGrantsAsync(context.Grains.GetGrain<IKmsServiceGrain>(track.Region), World.Principal(track.Account, track.Region, Roles.Admin), keyArn);
        return grants.Where(g => EcrEncryptionContext.RepositoryArnOf(g) == repositoryArn).Select(g => g.GrantId).ToHashSet(StringComparer.Ordinal);
    }
}
