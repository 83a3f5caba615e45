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

    /// <summary>
    /// A create of this name was acknowledged. It can only have succeeded on a free name, so whatever
    /// the track still owed from an earlier incarnation was deleted — by a delete whose answer was
    /// lost — and is owed no more. (Keeping those images owed made the checker report pushes lost
    /// that a delete had legitimately removed: the chaos sweep's silo-crash seed 115.)
    /// </summary>
    public void Created(RepositoryDescription repository)
    {
        Images.Clear();
        Live = repository;
    }

    /// <summary>
    /// A delete of this name got no answer: it may have happened, so the images acknowledged before it
    /// are owed no more (whether they are still there is for the history checker, which allows both).
    /// </summary>
    public void DeleteUnanswered()
    {
        Uncertain = true;
        Images.Clear();
    }

    public void MarkDeleted()
    {
        Live = null;
        Images.Clear();
    }
}
