namespace DaprReservations.Testing;

/// <summary>Where the repo and other projects' build outputs are, seen from a test's bin folder.</summary>
public static class RepoLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever the running tests were built with.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string BuildOutput(string projectDir, string file)
    {
        var path = Path.Combine(Root, projectDir, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path
            : throw new FileNotFoundException(
                $"{path} is missing: build {projectDir} in {Configuration} first (reference it from the test project " +
                "with ReferenceOutputAssembly=false so the test build does it)", path);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DaprReservations.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("DaprReservations.sln not found above " + AppContext.BaseDirectory);
    }
}
