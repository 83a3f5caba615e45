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

    /// <summary>
    /// Run the CLI with the service models GrantSim serves (silo/Aws/Models, botocore's current ones) instead of
    /// the 2022 models inside Debian's CLI, so that operations added since (RotateKeyOnDemand, ListKeyRotations,
    /// RotationPeriodInDays …) are commands. botocore reads models from AWS_DATA_PATH before its own, as
    /// <c>aws configure add-model</c> would arrange; the CLI itself is unmodified.
    /// </summary>
    public bool CurrentModels { get; init; }

    private static readonly Lazy<string> CurrentModelsPath = new(() =>
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"grantsim-aws-models-{System.Environment.ProcessId}");
        foreach (var (service, version) in new[] { ("kms", "2014-11-01"), ("ecr", "2015-09-21") })
        {
            var directory = Directory.CreateDirectory(System.IO.Path.Combine(root, service, version));
            File.Copy(System.IO.Path.Combine(Repository.Root, "silo", "Aws", "Models", $"{service}-{version}.json"),
                System.IO.Path.Combine(directory.FullName, "service-2.json"), overwrite: true);
        }

        return root;
    });

    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var (_, accessKeyId, secret) = AwsSilo.Tenant(tenant);
            var environment = new Dictionary<string, string>
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
            if (CurrentModels)
            {
                environment["AWS_DATA_PATH"] = CurrentModelsPath.Value;
            }

            return environment;
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
