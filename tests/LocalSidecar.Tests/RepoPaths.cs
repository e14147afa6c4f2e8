namespace LocalSidecar.Tests;

/// <summary>Finds the build output of other projects in this repo, in the configuration the tests were built with.</summary>
public static class RepoPaths
{
    public static string BuildOutput(string project, string file)
    {
        var baseDir = AppContext.BaseDirectory; // .../tests/LocalSidecar.Tests/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(baseDir).Parent!.Name;
        var root = new DirectoryInfo(baseDir);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DaprReservations.sln")))
            root = root.Parent;
        var path = Path.Combine(root!.FullName, project, "bin", configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first", path);
    }

    public static string SidecarDll => BuildOutput("tools/LocalSidecar", "LocalSidecar.dll");
}
