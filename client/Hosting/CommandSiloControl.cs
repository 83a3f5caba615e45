using System.Diagnostics;

namespace GrantSim.Client.Hosting;

/// <summary>
/// How the chaos client kills and restarts the silos of a cluster it did not start: shell commands
/// from configuration (<c>GrantSim:SiloControl</c>, or <c>GrantSim__SiloControl__...</c>), where
/// <c>{silo}</c> stands for the silo's number. For <c>scripts/cluster.sh</c>:
/// <c>KillCommand = "scripts/cluster.sh kill {silo}"</c>, <c>RestartCommand = "scripts/cluster.sh start {silo}"</c>.
/// </summary>
public sealed class SiloControlOptions
{
    public const string Section = "GrantSim:SiloControl";

    /// <summary>The numbers of the silos that may be killed (e.g. 2 and 3 of cluster.sh's 1..3).</summary>
    public List<int> Killable { get; set; } = [];

    public string KillCommand { get; set; } = "";

    public string RestartCommand { get; set; } = "";

    public bool IsConfigured => Killable.Count > 0 && KillCommand.Length > 0 && RestartCommand.Length > 0;
}

/// <summary>Runs the configured commands; a command that fails (non-zero exit) fails the kill or restart with its output.</summary>
public sealed class CommandSiloControl(SiloControlOptions options) : ISiloControl
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    public IReadOnlyList<int> Killable => options.Killable;

    public Task KillAsync(int silo, CancellationToken cancellationToken = default) => RunAsync(options.KillCommand, silo, cancellationToken);

    public Task RestartAsync(int silo, CancellationToken cancellationToken = default) => RunAsync(options.RestartCommand, silo, cancellationToken);

    private static async Task RunAsync(string template, int silo, CancellationToken cancellationToken)
    {
        var command = template.Replace("{silo}", silo.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start: {command}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command}' did not finish within {CommandTimeout.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' exited with {process.ExitCode}: {await error}{await output}".Trim());
        }
    }
}
