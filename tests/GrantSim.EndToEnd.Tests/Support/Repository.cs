namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>Paths in the repository: its root (where GrantSim.sln is) and the built silo and client.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this test assembly was built in (Debug or Release), which the silo was built in too.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll => Path.Combine(Root, "silo", "bin", Configuration, "net10.0", "GrantSim.Silo.dll");

    public static string ClientDll => Path.Combine(AppContext.BaseDirectory, "GrantSim.Client.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GrantSim.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("GrantSim.sln not found above " + AppContext.BaseDirectory);
    }
}
