using GrantSim.Aws;
using Polly;
using Polly.Retry;

namespace GrantSim.Client.Simulation;

/// <summary>
/// How a client retries a call the way an AWS SDK's standard retry mode does: up to
/// <see cref="MaxAttempts"/> attempts, each retry after a delay drawn uniformly from
/// [0, min(<see cref="BaseDelay"/>·2^retry, <see cref="MaxBackoff"/>)] ("full jitter").
/// The SDKs use a base of one second; the simulation's calls take microseconds rather than tens of
/// milliseconds, so its default base is scaled down with them (<c>--backoff-ms</c>).
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxBackoff)
{
    /// <summary>One attempt: what the simulation does unless a scenario asks for retries.</summary>
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero);

    public static RetryPolicy Standard(TimeSpan baseDelay) => new(3, baseDelay, TimeSpan.FromSeconds(20));

    /// <summary>
    /// What an SDK's standard mode retries, decided by the error's own code as the SDKs decide it:
    /// throttling (ThrottlingException) and server errors (KMSInternalException 500,
    /// DependencyTimeoutException 503). Not ECR's KmsException, even when the KMS error inside it is
    /// throttling: it is a 400 with its own code, which no SDK retries — and rightly, since the call
    /// may have taken effect (a DeleteRepository that deleted, then could not retire its grants,
    /// answers KmsException; a retry would answer RepositoryNotFoundException and hide the delete).
    /// </summary>
    public static bool IsRetryable(AwsServiceException error) => AwsErrorCodes.IsTransient(error.ErrorCode);

    public TimeSpan Backoff(int retry, Random random)
    {
        var ceiling = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1), MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}

/// <summary>
/// Runs calls under a <see cref="RetryPolicy"/> (a Polly retry pipeline on the simulation's clock), counting each
/// retry in the <see cref="OperationLog"/>. The delays are the policy's own full jitter from a generator seeded
/// for the run, so that a run's retries are the same every time and never shift the workload's choices.
/// </summary>
public sealed class AwsRetry
{
    private readonly Random _jitter;
    private readonly Lock _lock = new();
    private readonly ResiliencePipeline _pipeline;

    public AwsRetry(RetryPolicy policy, int seed, OperationLog log, TimeProvider time)
    {
        Policy = policy;
        _jitter = new Random(seed);
        _pipeline = policy.MaxAttempts <= 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<AwsServiceException>(RetryPolicy.IsRetryable),
                MaxRetryAttempts = policy.MaxAttempts - 1,
                // Polly counts the attempt that failed from 0; the policy counts retries from 1.
                DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(NextDelay(arguments.AttemptNumber + 1)),
                OnRetry = _ =>
                {
                    log.RecordRetry();
                    return ValueTask.CompletedTask;
                },
            }).Build();
    }

    public RetryPolicy Policy { get; }

    public async Task<T> RunAsync<T>(Func<Task<T>> call) =>
        await _pipeline.ExecuteAsync(static async (call, _) => await call(), call, CancellationToken.None);

    public Task RunAsync(Func<Task> call) => RunAsync(async () =>
    {
        await call();
        return true;
    });

    private TimeSpan NextDelay(int retry)
    {
        lock (_lock)
        {
            return Policy.Backoff(retry, _jitter);
        }
    }
}
