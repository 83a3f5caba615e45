using System.Net;
using System.Net.Sockets;

namespace GrantSim.Client.Hosting;

/// <summary>
/// Ports for listeners about to start on this machine. Not the OS's "any free port" (bind to 0): that
/// hands out ports from the ephemeral range, the same range the OS gives to outgoing connections, so a
/// port found free and released can be some connection's local port by the time the silo binds it (a
/// 250-seed chaos sweep died of exactly that: "Address already in use" when a killed silo restarted).
/// These come from below the ephemeral range, where the OS never assigns a port on its own, starting at
/// a random place per process so that two processes on one machine rarely probe the same ones; each is
/// checked free by binding it. Still only a probe: a caller that binds later retries on a collision.
/// </summary>
public static class LocalPorts
{
    private const int Lowest = 10_000;
    private const int FallbackEphemeralStart = 32_768;
    private static readonly int EphemeralStart = ReadEphemeralStart();
    private static int _next = Random.Shared.Next(Lowest, EphemeralStart);

    /// <summary>A port nothing listens on now and that the OS will not give to an outgoing connection.</summary>
    public static int Reserve()
    {
        var span = EphemeralStart - Lowest;
        for (var attempt = 0; attempt < span; attempt++)
        {
            var port = Lowest + (int)((uint)(Interlocked.Increment(ref _next) - Lowest) % (uint)span);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {Lowest} and {EphemeralStart} on the loopback interface.");
    }

    /// <summary>Whether starting a listener failed because its address was taken (an exception of the host, possibly wrapped).</summary>
    public static bool IsAddressInUse(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsAddressInUse),
        _ => error.InnerException is { } inner && IsAddressInUse(inner),
    };

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of Linux's ephemeral range (net.ipv4.ip_local_port_range); the usual default elsewhere.</summary>
    private static int ReadEphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return range.Length > 0 && int.TryParse(range[0], out var start) && start > Lowest + 1_000 ? start : FallbackEphemeralStart;
        }
        catch (IOException)
        {
            return FallbackEphemeralStart;
        }
        catch (UnauthorizedAccessException)
        {
            return FallbackEphemeralStart;
        }
    }
}
