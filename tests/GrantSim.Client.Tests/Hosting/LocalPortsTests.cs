using System.Net;
using System.Net.Sockets;
using GrantSim.Client.Hosting;

namespace GrantSim.Client.Tests.Hosting;

public sealed class LocalPortsTests
{
    [Fact]
    public void Reserve_GivesDistinctBindablePorts_BelowTheEphemeralRange()
    {
        var ports = Enumerable.Range(0, 50).Select(_ => LocalPorts.Reserve()).ToArray();

        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 10_000, 32_767));
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Fact]
    public void IsAddressInUse_FindsTheSocketError_HoweverDeeplyAHostWrapsIt()
    {
        var inUse = new SocketException((int)SocketError.AddressAlreadyInUse);

        Assert.True(LocalPorts.IsAddressInUse(inUse));
        Assert.True(LocalPorts.IsAddressInUse(new InvalidOperationException("start failed", new AggregateException(new TimeoutException(), inUse))));
        Assert.False(LocalPorts.IsAddressInUse(new InvalidOperationException("start failed", new SocketException((int)SocketError.ConnectionRefused))));
    }

    /// <summary>
    /// The sweep's "Address already in use": a killed silo's port taken by someone else before it restarts.
    /// It restarts on fresh ports and serves again, instead of ending the run.
    /// </summary>
    [Fact]
    public async Task ASiloWhosePortWasTakenWhileItWasDown_RestartsOnFreshPorts()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(silos: 2);
        var (siloPort, gatewayPort) = cluster.Ports[1];
        await cluster.KillAsync(1);
        using var squatter = new TcpListener(IPAddress.Loopback, siloPort);
        squatter.Start();

        await cluster.RestartAsync(1);

        Assert.NotEqual(siloPort, cluster.Ports[1].SiloPort);
        Assert.NotEqual(gatewayPort, cluster.Ports[1].GatewayPort);
        var active = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, active.Count);
        Assert.Contains(active.Keys, silo => silo.Endpoint.Port == cluster.Ports[1].SiloPort);
    }
}
