namespace GrantSim.Hosting;

/// <summary>The grain storage provider names: the one place they are spelled.</summary>
public static class StorageNames
{
    /// <summary>Where every GrantSim grain keeps its state (memory when embedded, Redis in a cluster).</summary>
    public const string Default = "grantsim";
}
