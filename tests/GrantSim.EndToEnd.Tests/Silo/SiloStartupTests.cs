using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GrantSim.EndToEnd.Tests.Cluster;
using GrantSim.EndToEnd.Tests.Support;

namespace GrantSim.EndToEnd.Tests.Silo;

/// <summary>
/// A silo that cannot start because of a setting says so in one line on stderr naming the setting, and exits 2:
/// no stack trace (the host's own log lines go to stdout, as ever).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SiloStartupTests
{
    private const string Prefix = "GrantSim silo cannot start: ";

    [Fact]
    public async Task AValueOfTheWrongType_EndsStartUp_WithOneLineNamingTheVariable()
    {
        var (exitCode, lines) = await StartAsync(Environment(webPort: "eighty"));

        Assert.Equal(2, exitCode);
        Assert.Equal($"{Prefix}GrantSim__Silo__WebPort is 'eighty', which is not an Int32.", Assert.Single(lines));
    }

    [Fact]
    public async Task AValueOutOfRange_EndsStartUp_WithOneLineNamingTheVariable()
    {
        var (exitCode, lines) = await StartAsync(Environment(webPort: "70000"));

        Assert.Equal(2, exitCode);
        Assert.Equal($"{Prefix}GrantSim__Silo__WebPort is 70000, which is not a port number (0 to 65535).", Assert.Single(lines));
    }

    [Theory]
    [InlineData("GrantSim__Silo__WebPort")]
    [InlineData("GrantSim__Silo__SiloPort")]
    [InlineData("GrantSim__Aws__Port")]
    public async Task APortSomeoneElseHolds_EndsStartUp_NamingTheSettingThatChoseIt(string setting)
    {
        var taken = new TcpListener(IPAddress.Any, Ports.Free());
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var environment = Environment();
            environment[setting] = port.ToString(CultureInfo.InvariantCulture);

            var (exitCode, lines) = await StartAsync(environment);

            Assert.Equal(2, exitCode);
            Assert.Equal($"{Prefix}port {port} is already in use; choose another with {setting}.", Assert.Single(lines));
        }
        finally
        {
            taken.Stop();
        }
    }

    private static Dictionary<string, string> Environment(string? webPort = null)
    {
        string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["GrantSim__Silo__SiloPort"] = Text(Ports.Free()),
            ["GrantSim__Silo__GatewayPort"] = Text(Ports.Free()),
            ["GrantSim__Silo__WebPort"] = webPort ?? Text(Ports.Free()),
            ["GrantSim__Aws__Port"] = Text(Ports.Free()),
        };
    }

    /// <summary>Starts a silo that is expected to give up; the lines are what it wrote to stderr.</summary>
    private static async Task<(int ExitCode, IReadOnlyList<string> ErrorLines)> StartAsync(Dictionary<string, string> environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [Repository.SiloDll]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("the silo did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the silo did not give up within 2 minutes; its output: {await stdout}");
        }

        await stdout;
        return (process.ExitCode, (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
