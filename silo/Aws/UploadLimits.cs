namespace GrantSim.Silo.Aws;

/// <summary>
/// <c>GrantSim:Aws:Uploads</c>: how much unfinished layer uploading the silo holds, for each tenant and
/// in all — so that one tenant cannot take every slot or all the space and lock the others out — and
/// when an abandoned upload is reclaimed. Bytes past <see cref="InMemoryBytes"/> go to a spool file.
/// </summary>
public sealed class UploadLimits
{
    public const string Section = "GrantSim:Aws:Uploads";

    /// <summary>One layer may not grow past this.</summary>
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Uploads in progress in this silo, all tenants together.</summary>
    public int MaxSessionsPerSilo { get; set; } = 1000;

    /// <summary>Uploads in progress of one tenant (account): a tenant that holds them all leaves the silo's others to everyone else.</summary>
    public int MaxSessionsPerTenant { get; set; } = 100;

    /// <summary>Bytes of unfinished uploads one tenant may hold.</summary>
    public long MaxBytesPerTenant { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Bytes of unfinished uploads the silo holds (on disk past <see cref="InMemoryBytes"/> each).</summary>
    public long MaxBytesPerSilo { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>An upload keeps its first bytes in memory; past this it is spooled to a file.</summary>
    public int InMemoryBytes { get; set; } = 64 * 1024;

    /// <summary>An upload nobody touched for this long is reclaimed (its slot and its bytes).</summary>
    public TimeSpan IdleLimit { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where spool files go; empty means a folder of the silo's own under the system's temporary folder.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>The first setting that makes no sense, named as an environment variable names it, or null.</summary>
    public string? Invalid() => Problem() is { } problem ? Hosting.Settings.VariableName(problem) : null;

    private string? Problem() =>
        MaxUploadBytes < 1 ? $"{Section}:MaxUploadBytes must be at least 1"
        : MaxSessionsPerSilo < 1 ? $"{Section}:MaxSessionsPerSilo must be at least 1"
        : MaxSessionsPerTenant < 1 || MaxSessionsPerTenant > MaxSessionsPerSilo ? $"{Section}:MaxSessionsPerTenant must be between 1 and MaxSessionsPerSilo"
        : MaxBytesPerTenant < MaxUploadBytes ? $"{Section}:MaxBytesPerTenant must be at least MaxUploadBytes"
        : MaxBytesPerSilo < MaxBytesPerTenant ? $"{Section}:MaxBytesPerSilo must be at least MaxBytesPerTenant"
        : InMemoryBytes < 0 ? $"{Section}:InMemoryBytes must not be negative"
        : IdleLimit <= TimeSpan.Zero ? $"{Section}:IdleLimit must be positive"
        : null;
}
