namespace GrantSim.Ecr;

public enum RetireFailure
{
    /// <summary>The grant no longer exists: as good as retired.</summary>
    AlreadyGone,

    /// <summary>A transient error: try again.</summary>
    Retry,

    /// <summary>The grant stays on the key and is reported.</summary>
    LeftBehind,
}
