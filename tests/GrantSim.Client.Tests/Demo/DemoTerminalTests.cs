using System.Text.Json;
using GrantSim.Client.Commands;
using GrantSim.Client.Demo;
using Spectre.Console.Cli;
using Spectre.Console.Testing;

namespace GrantSim.Client.Tests.Demo;

/// <summary>The demo and the trail as a terminal of 100 columns shows them (Spectre.Console's test console).</summary>
public sealed class DemoTerminalTests
{
    private const int Columns = 100;

    [Fact]
    public async Task Demo_AtAHundredColumns_ShowsEveryLesson_EveryCallAndWhy_WithinTheWidth()
    {
        var console = new TestConsole().Width(Columns);

        var exitCode = await new DemoCommand(console).ExecuteAsync(Context("demo"), new DemoSettings { NoPause = true }, CancellationToken.None);

        var output = console.Output;
        Assert.Equal(0, exitCode);
        var tooWide = output.Split('\n').Where(line => line.TrimEnd().Length > Columns).ToArray();
        Assert.True(tooWide.Length == 0, "lines wider than the terminal:\n" + string.Join("\n", tooWide));
        for (var lesson = 1; lesson <= Lessons.All.Count; lesson++)
        {
            Assert.Contains($"Lesson {lesson}:", output, StringComparison.Ordinal);
        }

        Assert.Contains("KMS calls, as the audit trail records them", output, StringComparison.Ordinal);
        Assert.Contains("Grants for this lesson's repositories", output, StringComparison.Ordinal);
        Assert.Contains("refused, as it should be", output, StringComparison.Ordinal);
        var steps = Lessons.All.Sum(l => l.Steps.Count);
        Assert.Equal(7, Lessons.All.Count);
        Assert.Contains($"{steps} steps in 7 lesson(s), each as the lesson says.", output, StringComparison.Ordinal);
        Assert.Equal(steps, CountOf(output, "Why it matters:"));
    }

    [Fact]
    public async Task Demo_OneLesson_WritesItsWalkthrough()
    {
        var console = new TestConsole().Width(Columns);
        var markdown = Path.Combine(Path.GetTempPath(), $"grantsim-walkthrough-{Guid.NewGuid():N}.md");
        try
        {
            var exitCode = await new DemoCommand(console).ExecuteAsync(Context("demo"), new DemoSettings { NoPause = true, Lesson = 4, Markdown = markdown }, CancellationToken.None);

            Assert.Equal(0, exitCode);
            Assert.DoesNotContain("Lesson 3:", console.Output, StringComparison.Ordinal);
            var text = await File.ReadAllTextAsync(markdown);
            Assert.Contains("## Lesson 4: Troubleshooting", text, StringComparison.Ordinal);
            Assert.Equal(1, CountOf(text, "```mermaid"));
        }
        finally
        {
            File.Delete(markdown);
        }
    }

    [Fact]
    public void Demo_RefusesALessonThatDoesNotExist() =>
        Assert.Equal("--lesson must be between 1 and 7.", new DemoSettings { Lesson = 8 }.Validate().Message);

    [Fact]
    public async Task Trail_FilteredByEvent_AsJson_HoldsOnlyThoseEvents()
    {
        var console = new TestConsole().Width(Columns);

        var exitCode = await new TrailCommand(console).ExecuteAsync(Context("trail"), new TrailSettings { Event = "CreateGrant", Json = true }, CancellationToken.None);

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(console.Output);
        var events = json.RootElement.EnumerateArray().ToArray();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("CreateGrant", e.GetProperty("eventName").GetString()));
    }

    [Fact]
    public async Task Trail_OfARepository_ShowsItsWholeLife_AsATable()
    {
        var console = new TestConsole().Width(Columns);

        var exitCode = await new TrailCommand(console).ExecuteAsync(Context("trail"), new TrailSettings { Repository = "demo/leftover" }, CancellationToken.None);

        Assert.Equal(0, exitCode);
        foreach (var expected in new[] { "ecr:CreateRepository", "kms:CreateGrant", "kms:GenerateDataKey", "ecr:DeleteRepository", "KmsException" })
        {
            Assert.Contains(expected, console.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Trail_OfErrors_ShowsTheRetirementsTheDeployerWasDenied()
    {
        var console = new TestConsole().Width(Columns);

        var exitCode = await new TrailCommand(console).ExecuteAsync(Context("trail"), new TrailSettings { Event = "RetireGrant", ErrorsOnly = true, Json = true }, CancellationToken.None);

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(console.Output);
        var denied = json.RootElement.EnumerateArray().Where(e => e.GetProperty("errorCode").GetString() == "AccessDeniedException").ToArray();
        Assert.Equal(2, denied.Length);
        Assert.All(denied, e => Assert.EndsWith("role/deployer", e.GetProperty("userIdentity").GetProperty("principal").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Trail_NamesAKeyIdAsItsArnInTheRegion()
    {
        var query = TrailCommand.Query(new TrailSettings { Key = "1234abcd-12ab-34cd-56ef-1234567890ab", Region = "eu-west-1", ErrorsOnly = true });

        Assert.Equal("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", query.Resource);
        Assert.True(query.ErrorsOnly);
    }

    private static CommandContext Context(string name) => new([], new NoRemainingArguments(), name, null);

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private sealed class NoRemainingArguments : IRemainingArguments
    {
        public ILookup<string, string?> Parsed { get; } = Array.Empty<string>().ToLookup(k => k, k => (string?)k);

        public IReadOnlyList<string> Raw { get; } = [];
    }
}
