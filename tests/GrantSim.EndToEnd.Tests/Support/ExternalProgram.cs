namespace GrantSim.EndToEnd.Tests.Support;

/// <summary>
/// Programs the end-to-end tests need. Missing, a test skips with the reason — unless the
/// environment variable CI is "true", where a missing program is a failure (.ci/run installs them).
/// </summary>
public static class ExternalProgram
{
    public static string Require(string name, string package) => Find(name) ?? Missing(name, package);

    /// <summary>A program at an exact path (Debian's /usr/bin/aws, not another aws earlier on PATH).</summary>
    public static string RequireAt(string path, string package) => File.Exists(path) ? path : Missing(path, package);

    private static string Missing(string name, string package)
    {
        var reason = $"'{name}' is not installed (Debian package {package}).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(reason + " CI=true, so this is a failure: .ci/run must install it.");
        }

        throw new SkipException(reason);
    }

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
