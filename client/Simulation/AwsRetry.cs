using GrantSim.Aws;

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

/// <summary>Runs calls under a <see cref="RetryPolicy"/>, counting each retry in the <see cref="OperationLog"/>.</summary>
public sealed class AwsRetry(RetryPolicy policy, int seed, OperationLog log, TimeProvider time)
{
    /// <summary>Its own seeded generator, so that retries never shift the workload's choices.</summary>
    private readonly Random _jitter = new(seed);
    private readonly Lock _lock = new();

    public RetryPolicy Policy => policy;

    public async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (AwsServiceException error) when (attempt < policy.MaxAttempts && RetryPolicy.IsRetryable(error))
            {
                TimeSpan delay;
                lock (_lock)
                {
                    delay = policy.Backoff(attempt, _jitter);
                }

                log.RecordRetry();
                await Task.Delay(delay, time);
            }
        }
    }

    public Task RunAsync(Func<Task> call) => RunAsync(async () =>
    {
        await call();
        return true;
    });
}
