using System.Diagnostics;
using System.Text.Json;

namespace GrantSim.Client.Tests.Commands;

/// <summary>The client as a user runs it: a real process, the default command, its exit code and its JSON.</summary>
public sealed class ClientProcessTests
{
    [Fact]
    public async Task Simulate_AsAProcess_PrintsTheSummary_WritesJson_AndExitsZero()
    {
        var json = Path.Combine(Path.GetTempPath(), $"grantsim-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, output) = await RunClientAsync("--tenants", "2", "--operations", "120", "--seed", "3", "--json", json);

            Assert.True(exitCode == 0, output);
            Assert.Contains("Invariants (SPEC §7)", output, StringComparison.Ordinal);
            Assert.Contains("Every invariant held", output, StringComparison.Ordinal);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = document.RootElement;
            Assert.Equal(3, root.GetProperty("seed").GetInt32());
            Assert.Equal(120, root.GetProperty("operations").GetInt32());
            Assert.Equal(15, root.GetProperty("invariants").GetArrayLength());
            Assert.True(root.GetProperty("allInvariantsHeld").GetBoolean());
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task Demo_AsAProcess_RunsEveryLesson_AndWritesAWalkthroughWithADiagramPerLesson()
    {
        var markdown = Path.Combine(Path.GetTempPath(), $"grantsim-walkthrough-{Guid.NewGuid():N}.md");
        try
        {
            var (exitCode, output) = await RunClientAsync("demo", "--no-pause", "--markdown", markdown);

            Assert.True(exitCode == 0, output);
            Assert.Contains($"{GrantSim.Client.Demo.Lessons.All.Sum(l => l.Steps.Count)} steps in 7 lesson(s), each as the lesson says.", output, StringComparison.Ordinal);
            var text = await File.ReadAllTextAsync(markdown);
            Assert.Equal(7, text.Split("```mermaid").Length - 1);
            Assert.Contains("## Lesson 6: Key states", text, StringComparison.Ordinal);
            Assert.Contains("## Lesson 7: Cross-account pull from a KMS repository", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(markdown);
        }
    }

    [Fact]
    public async Task Demo_WithOtelConsole_WritesGrantSimSpansAndMetricsToTheConsole()
    {
        var (exitCode, output) = await RunClientAsync("demo", "--lesson", "1", "--no-pause", "--otel-console");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"Activity\.DisplayName:\s+KMS/GenerateDataKey", output);
        Assert.Matches(@"Activity\.DisplayName:\s+ECR/CreateRepository", output);
        Assert.Contains("grantsim.kms.requests", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WithAnInvalidOption_ExplainsAndFails()
    {
        var (exitCode, output) = await RunClientAsync("--tenants", "0");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--tenants must be between 1 and 10000", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunClientAsync(params string[] arguments)
    {
        var client = Path.Combine(AppContext.BaseDirectory, "GrantSim.Client.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(client);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
