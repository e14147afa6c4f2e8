using System.Text.RegularExpressions;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>The app table of services/README.md: the documented app port of every app id.</summary>
public static partial class ServicesReadme
{
    /// <summary>App port, Dapr HTTP port and Dapr gRPC port of each app id.</summary>
    public static IReadOnlyDictionary<string, (int App, int DaprHttp, int DaprGrpc)> Ports { get; } =
        Parse(File.ReadAllText(Repository.PathOf("services", "README.md")));

    public static IReadOnlyDictionary<string, int> AppPorts { get; } = Ports.ToDictionary(p => p.Key, p => p.Value.App);

    public static IReadOnlyDictionary<string, (int App, int DaprHttp, int DaprGrpc)> Parse(string markdown)
    {
        var ports = new Dictionary<string, (int, int, int)>();
        foreach (Match row in AppRow().Matches(markdown))
            ports[row.Groups["app"].Value] = (Int(row, "port"), Int(row, "http"), Int(row, "grpc"));
        if (ports.Count == 0)
            throw new InvalidOperationException("services/README.md has no app table rows like | `web` | ... | 5100 | 3500 | 50010 |");
        return ports;
    }

    private static int Int(Match row, string group) =>
        int.Parse(row.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);

    // | `web` | owns ... | 5100 | 3500 | 50010 |   (app id, what it owns, app port, dapr http, dapr grpc)
    [GeneratedRegex(@"^\|\s*`(?<app>[a-z0-9-]+)`\s*\|[^|]*\|\s*(?<port>\d+)\s*\|\s*(?<http>\d+)\s*\|\s*(?<grpc>\d+)\s*\|\s*$", RegexOptions.Multiline)]
    private static partial Regex AppRow();
}
