using System.Diagnostics;

namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>Debian's headless Chromium on a page, with a profile of its own; killed if it has not finished within the timeout.</summary>
public static class HeadlessChromium
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string chromium, string profileDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                     $"--user-data-dir={profileDirectory}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"chromium did not finish within {Timeout.TotalSeconds:0} s: {Tail(await stderr)}");
        }

        return (process.ExitCode, await stdout, Tail(await stderr));
    }

    public static string Tail(string text) => string.Join(Environment.NewLine, text.Split('\n').TakeLast(15));
}
