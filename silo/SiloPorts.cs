using GrantSim.Hosting;
using GrantSim.Silo.Aws;

namespace GrantSim.Silo;

/// <summary>The ports a silo listens on, each by the setting that chose it: what a "port in use" failure names.</summary>
internal static class SiloPorts
{
    public static IReadOnlyDictionary<string, int> Of(GrantSimOptions? options, AwsOptions? aws)
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        if (options is not null)
        {
            ports["GrantSim__Silo__WebPort"] = options.Silo.WebPort;
            ports["GrantSim__Silo__SiloPort"] = options.Silo.SiloPort;
            ports["GrantSim__Silo__GatewayPort"] = options.Silo.GatewayPort;
        }

        if (aws is not null)
        {
            ports[$"{Settings.VariableName(AwsOptions.Section)}__Port"] = aws.Port;
        }

        return ports;
    }
}
