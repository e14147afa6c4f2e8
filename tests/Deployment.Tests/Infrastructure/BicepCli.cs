using System.Reflection;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (restored with this project, so no
/// download at test time). NuGet does not keep Unix file modes, so the execute bit is set here.
/// </summary>
public static class BicepCli
{
    private static readonly Lazy<string> Executable = new(Locate);

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Executable.Value, arguments, Repository.PathOf("deploy", "bicep"), TimeSpan.FromMinutes(3));

    private static string Locate()
    {
        var packageRoot = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPackageRoot")?.Value;
        var candidates = new[]
        {
            packageRoot is { Length: > 0 } ? Path.Combine(packageRoot, "tools", "bicep") : null,
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                ".nuget", "packages", "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep"),
        };
        var path = candidates.FirstOrDefault(p => p is not null && File.Exists(p))
            ?? throw new FileNotFoundException(
                $"The Bicep CLI was not found at {string.Join(" or ", candidates.Where(c => c is not null))}: " +
                "restore tests/Deployment.Tests (it brings the Azure.Bicep.CommandLine.linux-x64 package).");

        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("The Bicep package restored here is the linux-x64 build.");
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode executeBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
            File.SetUnixFileMode(path, mode | executeBits);
        return path;
    }
}
