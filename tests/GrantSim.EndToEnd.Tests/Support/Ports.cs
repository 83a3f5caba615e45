using GrantSim.Client.Hosting;

namespace GrantSim.EndToEnd.Tests.Support;

public static class Ports
{
    /// <summary>A port nothing listens on now, outside the range the OS gives outgoing connections, for a process about to start.</summary>
    public static int Free() => LocalPorts.Reserve();
}
