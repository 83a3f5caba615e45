namespace GrantSim.Client.Hosting;

/// <summary>Kills and restarts the silos of a cluster, for the chaos scenarios.</summary>
public interface ISiloControl
{
    /// <summary>The silos that may be killed: never the one that holds the membership or hosts the client.</summary>
    IReadOnlyList<int> Killable { get; }

    /// <summary>Stops silo <paramref name="silo"/> the way a crash does: no graceful hand-over of its grains.</summary>
    Task KillAsync(int silo, CancellationToken cancellationToken = default);

    /// <summary>Starts silo <paramref name="silo"/> again (a new incarnation at the same address) and returns once it has joined.</summary>
    Task RestartAsync(int silo, CancellationToken cancellationToken = default);
}
