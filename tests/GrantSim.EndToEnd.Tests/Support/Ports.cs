using System.Net;
using System.Net.Sockets;

namespace GrantSim.EndToEnd.Tests.Support;

public static class Ports
{
    /// <summary>A port nothing listens on now (the OS picks it), for a process about to start.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
