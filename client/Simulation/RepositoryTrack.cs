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
    /// A replication destination: ECR makes this repository (in another Region or account) when a push to
    /// <see cref="ReplicatedFrom"/> replicates. The run's own operations leave it alone (its history is not
    /// the run's), except <see cref="OperationKinds.DeleteReplicaRepository"/>; the invariants check it.
    /// </summary>
    public RepositoryTrack? ReplicatedFrom { get; init; }

    public bool IsReplica => ReplicatedFrom is not null;

    /// <summary>The tag mutability an acknowledged PutImageTagMutability set; null when a put went unanswered (then the run expects nothing of a re-used tag).</summary>
    public ImageTagMutability? TagMutability { get; set; } = ImageTagMutability.Mutable;

    /// <summary>The lifecycle policy put on this incarnation (acknowledged or not: an unanswered put may have taken effect).</summary>
    public string? LifecyclePolicy { get; set; }

    /// <summary>Images of this incarnation that a lifecycle policy expired: owed no more, and their objects must be gone.</summary>
    public List<PushedImage> Expired { get; } = [];

    /// <summary>Manifest digests of pushes refused for moving an immutable tag: none may be stored.</summary>
    public List<string> RefusedDigests { get; } = [];

    /// <summary>The accounts an acknowledged repository policy lets pull from this incarnation.</summary>
    public HashSet<string> SharedWith { get; } = new(StringComparer.Ordinal);

    /// <summary>Moves an owed image to <see cref="Expired"/> (the repository's lifecycle policy removed it).</summary>
    public void Expire(string manifestDigest)
    {
        lock (Images)
        {
            var index = Images.FindIndex(i => i.ManifestDigest == manifestDigest);
            if (index >= 0)
            {
                Expired.Add(Images[index]);
                Images.RemoveAt(index);
            }
        }
    }

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
        ForgetIncarnation();
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
        ForgetIncarnation();
    }

    /// <summary>What belonged to the incarnation that is gone: its settings, policies and what they did.</summary>
    private void ForgetIncarnation()
    {
        TagMutability = ImageTagMutability.Mutable;
        LifecyclePolicy = null;
        Expired.Clear();
        RefusedDigests.Clear();
        SharedWith.Clear();
    }
}
