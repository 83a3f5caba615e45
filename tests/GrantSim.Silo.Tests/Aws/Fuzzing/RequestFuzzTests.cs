using Xunit.Abstractions;

namespace GrantSim.Silo.Tests.Aws.Fuzzing;

/// <summary>
/// The fuzzing run: a fixed seed and number of cases in CI (the same cases every time, so a red build is
/// a finding); <c>GRANTSIM_FUZZ_SECONDS=N</c> runs for N seconds from a random seed instead, printing it.
/// </summary>
public sealed class RequestFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void FuzzedRequests_AreRefusedAsAwsDoes_AndNeverCrashAReader()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("GRANTSIM_FUZZ_SECONDS"), out var s) && s > 0 ? s : 0;
        var fuzzer = new RequestFuzzer(seconds > 0 ? Random.Shared.Next() : 20261201);

        var report = seconds > 0 ? fuzzer.Run(long.MaxValue, TimeSpan.FromSeconds(seconds)) : fuzzer.Run(150_000, TimeSpan.FromMinutes(10));

        output.WriteLine(report.ToString());
        Assert.True(report.Crashes.Count == 0, report.ToString());
    }
}
