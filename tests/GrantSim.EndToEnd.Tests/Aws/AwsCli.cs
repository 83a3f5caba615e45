using System.Text.Json;
using GrantSim.EndToEnd.Tests.Support;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>What a program printed and how it ended.</summary>
public sealed record ProgramResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The printed JSON; commands that answer nothing print nothing, which is an empty object here.</summary>
    public JsonElement Json => JsonDocument.Parse(string.IsNullOrWhiteSpace(StandardOutput) ? "{}" : StandardOutput).RootElement;

    public string Output => StandardOutput + StandardError;
}

/// <summary>
/// Debian's AWS CLI (/usr/bin/aws: another <c>aws</c> on PATH may be a different CLI), run against
/// the silo as one tenant, with no configuration file or profile of this machine in the way.
/// </summary>
public sealed class AwsCli(AwsSilo silo, int tenant, string region = "us-east-1")
{
    public const string Path = "/usr/bin/aws";

    /// <summary>The exit code of the AWS CLI v2 for an error the service returned.</summary>
    public const int ServiceErrorExitCode = 254;

    public static void Require() => ExternalProgram.RequireAt(Path, "awscli");

    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var (_, accessKeyId, secret) = AwsSilo.Tenant(tenant);
            return new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = accessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = secret,
                ["AWS_DEFAULT_REGION"] = region,
                ["AWS_CONFIG_FILE"] = "/dev/null",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
                ["AWS_PAGER"] = "",
                ["AWS_MAX_ATTEMPTS"] = "1",
                ["AWS_ENDPOINT_URL"] = silo.Endpoint,
            };
        }
    }

    public Task<ProgramResult> RunAsync(params string[] arguments) =>
        RunProgramAsync(Path, ["--endpoint-url", silo.Endpoint, "--region", region, "--output", "json", .. arguments], Environment);

    public async Task<JsonElement> JsonAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Output}");
        return result.Json;
    }

    public static async Task<ProgramResult> RunProgramAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? standardInput = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new ProgramResult(process.ExitCode, await output, await error);
    }
}
