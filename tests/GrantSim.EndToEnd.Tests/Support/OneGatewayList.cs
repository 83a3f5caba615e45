using Orleans.Messaging;

namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>
/// A client's gateway list that names one gateway at a time, chosen by the test: every call of the
/// client then goes through that one silo, so a test knows which silo is the client's gateway and
/// can kill it. (The Redis list names every silo, and the client spreads its grains over them.)
/// </summary>
public sealed class OneGatewayList(int gatewayPort) : IGatewayListProvider
{
    private volatile Uri _current = GatewayUri(gatewayPort);

    public int CurrentPort => _current.Port;

    /// <summary>From now on the list names this gateway; the client learns it at its next refresh, which a dead gateway hastens.</summary>
    public void Use(int gatewayPort) => _current = GatewayUri(gatewayPort);

    public TimeSpan MaxStaleness => TimeSpan.FromSeconds(1);

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public Task<IList<Uri>> GetGateways() => Task.FromResult<IList<Uri>>([_current]);

    private static Uri GatewayUri(int port) => new($"gwy.tcp://127.0.0.1:{port}/0");
}
