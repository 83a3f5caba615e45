using GrantSim.Aws;
using GrantSim.Client.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace GrantSim.Client.Tests.Simulation;

/// <summary>The simulation's retries are an AWS SDK's standard mode: which errors, how many attempts, what backoff.</summary>
public sealed class AwsRetryTests
{
    [Theory]
    [InlineData(AwsErrorCodes.Throttling, true)]
    [InlineData(AwsErrorCodes.KmsInternal, true)]
    [InlineData(AwsErrorCodes.DependencyTimeout, true)]
    [InlineData(AwsErrorCodes.AccessDenied, false)]
    [InlineData(AwsErrorCodes.NotFound, false)]
    [InlineData(AwsErrorCodes.RepositoryNotFound, false)]
    public void IsRetryable_FollowsTheErrorCode(string code, bool retryable) =>
        Assert.Equal(retryable, RetryPolicy.IsRetryable(new AwsServiceException(code, "m")));

    [Theory]
    [InlineData(AwsErrorCodes.Throttling)]
    [InlineData(AwsErrorCodes.KmsInternal)]
    public void IsRetryable_NeverForEcrsKmsException_WhateverTheKmsErrorInside(string kmsError) =>
        // A 400 with its own code: no SDK retries it, and the call it answers may have taken effect.
        Assert.False(RetryPolicy.IsRetryable(new AwsServiceException(AwsErrorCodes.Kms, "m", kmsError)));

    [Fact]
    public async Task RunAsync_RetriesThrottlingUpToThreeAttempts_ThenGivesTheErrorBack()
    {
        var log = new OperationLog();
        var retry = new AwsRetry(RetryPolicy.Standard(TimeSpan.Zero), seed: 1, log, new FakeTimeProvider());
        var attempts = 0;

        await Assert.ThrowsAsync<AwsServiceException>(() => retry.RunAsync(() =>
        {
            attempts++;
            throw new AwsServiceException(AwsErrorCodes.Throttling, "Rate exceeded");
        }));

        Assert.Equal(3, attempts);
        Assert.Equal(2, log.RetryTimes().Count);
    }

    [Fact]
    public async Task RunAsync_DoesNotRetryAKmsException()
    {
        var retry = new AwsRetry(RetryPolicy.Standard(TimeSpan.Zero), seed: 1, new OperationLog(), new FakeTimeProvider());
        var attempts = 0;

        await Assert.ThrowsAsync<AwsServiceException>(() => retry.RunAsync(() =>
        {
            attempts++;
            throw new AwsServiceException(AwsErrorCodes.Kms, "The repository has been deleted successfully but its grants could not be retired", AwsErrorCodes.Throttling);
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task RunAsync_WaitsTheBackoffItDrew_OnTheClockItWasGiven_ThenRetries()
    {
        var clock = new TimerWatchingClock();
        var policy = RetryPolicy.Standard(TimeSpan.FromSeconds(1));
        var expected = policy.Backoff(1, new Random(7));
        var retry = new AwsRetry(policy, seed: 7, new OperationLog(), clock);
        var attempts = 0;

        var run = retry.RunAsync(() => Interlocked.Increment(ref attempts) == 1 ? throw new AwsServiceException(AwsErrorCodes.Throttling, "Rate exceeded") : Task.FromResult(42));

        // The barrier: the retry's wait is on the clock (on whichever thread the pipeline got there).
        var wait = await clock.TimerCreated.Task.WaitAsync(TimeSpan.FromMinutes(1));
        // The drawn backoff, to the millisecond (Task.Delay counts whole milliseconds).
        Assert.InRange((expected - wait).TotalMilliseconds, 0, 1);
        clock.Advance(wait - TimeSpan.FromTicks(1));
        Assert.Equal(1, Volatile.Read(ref attempts));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(42, await run.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(2, Volatile.Read(ref attempts));
    }

    /// <summary>A fake clock that tells when the first timer is made, and for how long.</summary>
    private sealed class TimerWatchingClock : FakeTimeProvider
    {
        public TaskCompletionSource<TimeSpan> TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated.TrySetResult(dueTime);
            return timer;
        }
    }

    [Fact]
    public async Task RunAsync_WithoutRetries_MakesOneAttempt()
    {
        var retry = new AwsRetry(RetryPolicy.None, seed: 1, new OperationLog(), new FakeTimeProvider());
        var attempts = 0;

        await Assert.ThrowsAsync<AwsServiceException>(() => retry.RunAsync(() =>
        {
            attempts++;
            throw new AwsServiceException(AwsErrorCodes.Throttling, "Rate exceeded");
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public void Backoff_IsFullJitter_UnderTheExponentialCeiling()
    {
        var policy = RetryPolicy.Standard(TimeSpan.FromMilliseconds(100));
        var random = new Random(5);
        for (var retry = 1; retry <= 12; retry++)
        {
            var ceiling = Math.Min(100 * Math.Pow(2, retry - 1), policy.MaxBackoff.TotalMilliseconds);
            var delays = Enumerable.Range(0, 200).Select(_ => policy.Backoff(retry, random).TotalMilliseconds).ToArray();
            Assert.All(delays, d => Assert.InRange(d, 0, ceiling));
            Assert.True(delays.Max() > ceiling * 0.9, $"retry {retry}: delays reach towards the ceiling {ceiling} ms");
        }
    }
}
