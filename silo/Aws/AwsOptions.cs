using GrantSim.Hosting;

namespace GrantSim.Silo.Aws;

/// <summary>
/// <c>GrantSim:Aws</c>: where the AWS-compatible endpoint listens (<c>GrantSim__Aws__Port</c>, 0 turns it
/// off), the tenants file, and the secret registry tokens are signed with.
/// </summary>
public sealed class AwsOptions
{
    public const string Section = "GrantSim:Aws";

    /// <summary>4566, the port local AWS emulators use, so tools configured for them work unchanged.</summary>
    public int Port { get; set; } = 4566;

    /// <summary>Loopback by default: the endpoint is for tools on this machine.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>A JSON file <c>{"tenants": [...]}</c>; empty means the built-in tenant (account 000000000000, access key test/test).</summary>
    public string? TenantsFile { get; set; }

    /// <summary>
    /// The key registry tokens are signed with. Empty means a random key per process: tokens then
    /// stop working when the silo restarts, and silos of a cluster need one shared secret.
    /// </summary>
    public string? TokenSecret { get; set; }

    /// <summary>The first setting that makes no sense, named as an environment variable names it, or null.</summary>
    public string? Invalid() =>
        Port is < 0 or > 65535 ? $"{Settings.VariableName(Section)}__Port is {Port}, which is not a port number (0 turns the endpoint off, or 1 to 65535)."
        : string.IsNullOrWhiteSpace(Host) ? $"{Settings.VariableName(Section)}__Host must name the address to listen on, e.g. 127.0.0.1 or 0.0.0.0."
        : null;
}
