namespace GrantSim.Client.Hosting;

/// <summary>Where the client's grain calls go: a silo in its own process, or a running cluster.</summary>
public interface IGrantSimConnection : IAsyncDisposable
{
    IClusterClient Client { get; }

    /// <summary>For the reader: "embedded silo", or the cluster's backend and id.</summary>
    string Description { get; }

    /// <summary>How to kill and restart silos, or null when this connection cannot.</summary>
    ISiloControl? Silos { get; }
}
