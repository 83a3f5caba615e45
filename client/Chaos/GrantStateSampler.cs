using GrantSim.Client.Chaos.Reports;
using GrantSim.Client.Hosting;
using GrantSim.Client.Simulation;
using GrantSim.Grains;
using GrantSim.Kms;

namespace GrantSim.Client.Chaos;

/// <summary>
/// Samples how many grants the scenario's tenants have created, retired and revoked, from the
/// counts of their audit trails, a few times a second while the scenario runs. A sample that
/// fails (a silo dying under the trail grain) is skipped: the chart shows a gap, not a lie.
/// </summary>
public sealed class GrantStateSampler(IGrainFactory grains, World world, OperationLog log) : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly List<GrantStateSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(LoopAsync);

    public async Task<IReadOnlyList<GrantStateSample>> StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        await SampleAsync();
        lock (_samples)
        {
            return _samples.ToArray();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await SampleAsync();
        }
        while (await Tick(timer));
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SampleAsync()
    {
        long created = 0, retired = 0, revoked = 0;
        try
        {
            foreach (var (account, region) in world.TenantRegions)
            {
                var counts = await grains.GetGrain<IAuditTrailGrain>(GrainKeys.TenantRegion(account, region)).Count();
                created += counts.Count(KmsOperations.CreateGrant);
                retired += counts.Count(KmsOperations.RetireGrant);
                revoked += counts.Count(KmsOperations.RevokeGrant);
            }
        }
        catch (Exception error) when (error is Aws.AwsServiceException || ClusterFailures.IsClusterFailure(error))
        {
            return;
        }

        lock (_samples)
        {
            _samples.Add(new GrantStateSample(Math.Round(log.ElapsedSeconds, 3), created, created - retired - revoked, retired, revoked));
        }
    }
}
