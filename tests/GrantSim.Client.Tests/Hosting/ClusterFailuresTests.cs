using System.Net.Sockets;
using GrantSim.Aws;
using GrantSim.Client.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Time.Testing;

namespace GrantSim.Client.Tests.Hosting;

public sealed class ClusterFailuresTests
{
    public static TheoryData<Exception> Unanswered => new()
    {
        new TimeoutException("Response did not arrive on time in 00:00:10"),
        new SiloUnavailableException("the target silo died"),
        new OrleansException("No gateways available"),
        new ConnectionResetException("Connection reset by peer"),
        new ConnectionAbortedException("Connection closed"),
        new SocketException((int)SocketError.ConnectionRefused),
        new AggregateException(new TimeoutException(), new SiloUnavailableException()),
        new IOException("Simulated storage failure at kms.trail.append.writing."),
    };

    public static TheoryData<Exception> Answered => new()
    {
        new AwsServiceException(AwsErrorCodes.Throttling, "Rate exceeded"),
        new InvalidOperationException("a bug"),
        new NullReferenceException(),
        new OperationCanceledException(),
        new AggregateException(new TimeoutException(), new InvalidOperationException("a bug")),
        new AggregateException(),
    };

    [Theory]
    [MemberData(nameof(Unanswered))]
    public void ClusterFailure_WhenTheClusterGaveNoAnswer(Exception error) => Assert.True(ClusterFailures.IsClusterFailure(error));

    [Theory]
    [MemberData(nameof(Answered))]
    public void NotAClusterFailure_WhenItIsAnAnswerOrABug(Exception error) => Assert.False(ClusterFailures.IsClusterFailure(error));

    [Fact]
    public async Task ClusterRetry_RepeatsACallTheClusterLeftUnanswered_UntilItIsAnswered()
    {
        var attempts = 0;
        var answer = await ClusterRetry.RunAsync(
            () => ++attempts < 3 ? throw new SiloUnavailableException("gone") : Task.FromResult(attempts),
            TimeSpan.FromMinutes(1), TimeSpan.Zero, new FakeTimeProvider(), CancellationToken.None);

        Assert.Equal(3, answer);
    }

    [Fact]
    public async Task ClusterRetry_PassesAnAwsErrorThroughAtOnce()
    {
        var attempts = 0;
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => ClusterRetry.RunAsync<int>(
            () => { attempts++; throw new AwsServiceException(AwsErrorCodes.NotFound, "no such key"); },
            TimeSpan.FromMinutes(1), TimeSpan.Zero, new FakeTimeProvider(), CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal(AwsErrorCodes.NotFound, error.ErrorCode);
    }

    [Fact]
    public async Task ClusterRetry_GivesUpOnceItsPatienceIsSpent()
    {
        // Each look at the clock moves it on by 20 s: the third attempt is past a patience of 50 s.
        var time = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromSeconds(20) };
        var attempts = 0;
        await Assert.ThrowsAsync<TimeoutException>(() => ClusterRetry.RunAsync<int>(
            () => { attempts++; throw new TimeoutException(); },
            TimeSpan.FromSeconds(50), TimeSpan.Zero, time, CancellationToken.None));

        Assert.Equal(3, attempts);
    }
}
