using GrantSim.Aws;
using GrantSim.Client.Simulation;
using GrantSim.Simulation;

namespace GrantSim.Client.Chaos.Scenarios;

/// <summary>
/// A share of KMS calls fail with ThrottlingException for the middle of the run. Every call
/// retries like an AWS SDK's standard mode (three attempts, jittered exponential backoff) where an
/// SDK would: direct KMS calls do; ECR calls, which answer KmsException(ThrottlingException), do not.
/// The report shows how throughput, latency and errors change in the window.
/// </summary>
public sealed class KmsThrottleScenario : ChaosScenario
{
    public const double ThrottledShare = 0.15;
    private const string Window = "KMS throttling 15% of calls";

    public override string Name => "kms-throttle";

    public override int AccountBlock => 1;

    public override string Description => "15% of KMS calls fail with ThrottlingException mid-run; calls retry with SDK-style backoff; throughput and latency measured before, during and after.";

    public override bool RetriesLikeAnSdk => true;

    public override IReadOnlyList<(string Kind, int Weight)> Mix =>
    [
        (OperationKinds.CreateRepository, 15),
        (OperationKinds.PushImage, 40),
        (OperationKinds.PullImage, 35),
        (OperationKinds.DeleteRepository, 8),
        (OperationKinds.RetireLeftoverGrants, 2),
        .. SimulationRunner.FeatureMix,
    ];

    public override async Task RunAsync(ScenarioContext context)
    {
        var plan = new FaultPlan(context.Options.Seed, [new FaultRule(FaultRule.AnyOperation, AwsErrorCodes.Throttling, ThrottledShare)]);
        double windowStart = 0, windowEnd = 0;
        await context.RunWorkloadAsync(1.0,
        [
            new PlannedEvent(0.3, "throttling starts", async () =>
            {
                await context.SetTenantSettingsAsync(plan);
                context.Faults.Open(Window);
                windowStart = context.Runner.Log.ElapsedSeconds;
            }),
            new PlannedEvent(0.7, "throttling ends", async () =>
            {
                await context.SetTenantSettingsAsync(FaultPlan.None);
                windowEnd = context.Runner.Log.ElapsedSeconds;
                context.Faults.Close(Window);
            }),
        ]);

        // Throttling can only be seen by an operation that overlapped the window.
        var samples = context.Runner.Log.Samples();
        var outside = samples
            .Where(s => s.Outcome.Contains(AwsErrorCodes.Throttling, StringComparison.Ordinal))
            .Where(s => s.StartSecond + (s.LatencyMilliseconds / 1000) < windowStart || s.StartSecond > windowEnd)
            .Select(s => $"{s.Kind} at {s.StartSecond:0.00} s ended {s.Outcome}, outside the throttling window {windowStart:0.00}-{windowEnd:0.00} s")
            .ToArray();
        context.Check("Throttling is seen only while KMS throttles", samples.Count, outside);

        var retries = context.Runner.Log.RetryTimes();
        var late = retries.Where(t => t < windowStart || t > windowEnd + context.Runner.Options.Retry.MaxBackoff.TotalSeconds).Select(t => $"a retry at {t:0.00} s, outside the window").ToArray();
        context.Check("Calls retry only while KMS throttles", retries.Count, late);

        var pushes = samples.Where(s => s.Kind == OperationKinds.PushImage && s.StartSecond >= windowStart && s.StartSecond <= windowEnd).ToArray();
        if (pushes.Length > 0)
        {
            context.Figure("pushes started during throttling that succeeded, %", 100.0 * pushes.Count(p => p.Outcome == OperationKinds.Ok) / pushes.Length);
        }
    }
}
