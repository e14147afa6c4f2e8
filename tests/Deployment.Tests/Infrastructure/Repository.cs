namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>Paths inside the repository the tests run from (found by walking up to DaprReservations.sln).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DaprReservations.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No DaprReservations.sln above {AppContext.BaseDirectory}.");
    }
}
