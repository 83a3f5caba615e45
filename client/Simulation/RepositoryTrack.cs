using GrantSim.Client.Images;
using GrantSim.Ecr;

namespace GrantSim.Client.Simulation;

/// <summary>What the simulation knows of one repository name: whether it lives (as created), and the images whose push was acknowledged since.</summary>
public sealed class RepositoryTrack(string account, string region, string name)
{
    public string Account { get; } = account;

    public string Region { get; } = region;

    public string Name { get; } = name;

    /// <summary>The repository as CreateRepository returned it; null while the name is free.</summary>
    public RepositoryDescription? Live { get; set; }

    public List<PushedImage> Images { get; } = [];

    /// <summary>
    /// A create, delete or push on this name ended without an answer (a silo died under it): the
    /// real state decides whether it happened. Acknowledged images stay owed either way.
    /// </summary>
    public bool Uncertain { get; set; }

    public void MarkDeleted()
    {
        Live = null;
        Images.Clear();
    }
}
