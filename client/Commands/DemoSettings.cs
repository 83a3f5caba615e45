using System.ComponentModel;
using GrantSim.Client.Demo;
using Spectre.Console;
using Spectre.Console.Cli;

namespace GrantSim.Client.Commands;

public sealed class DemoSettings : TelemetrySettings
{
    [CommandOption("--no-pause")]
    [Description("Run straight through instead of waiting for a key after each step.")]
    public bool NoPause { get; init; }

    [CommandOption("--lesson <N>")]
    [Description("Run one lesson: 1 the happy path, 2 defaults and refusals, 3 revocation, 4 troubleshooting, 5 the encryption context, 6 key states.")]
    public int? Lesson { get; init; }

    [CommandOption("--markdown <FILE>")]
    [Description("Also write the walkthrough as Markdown, with a Mermaid sequence diagram per lesson.")]
    public string? Markdown { get; init; }

    public override ValidationResult Validate() =>
        Lesson is { } lesson && (lesson < 1 || lesson > Lessons.All.Count)
            ? ValidationResult.Error($"--lesson must be between 1 and {Lessons.All.Count}.")
            : ValidationResult.Success();
}
