using System.Text.RegularExpressions;

namespace DaprReservations.Deployment.Tests.Infrastructure;

/// <summary>The app table of services/README.md: the documented app port of every app id.</summary>
public static partial class ServicesReadme
{
    public static IReadOnlyDictionary<string, int> AppPorts { get; } = Parse(File.ReadAllText(Repository.PathOf("services", "README.md")));

    public static IReadOnlyDictionary<string, int> Parse(string markdown)
    {
        var ports = new Dictionary<string, int>();
        foreach (Match row in AppRow().Matches(markdown))
            ports[row.Groups["app"].Value] = int.Parse(row.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (ports.Count == 0)
            throw new InvalidOperationException("services/README.md has no app table rows like | `web` | ... | 5100 | 3500 | 50010 |");
        return ports;
    }

    // | `web` | owns ... | 5100 | 3500 | 50010 |   (app id, what it owns, app port, dapr http, dapr grpc)
    [GeneratedRegex(@"^\|\s*`(?<app>[a-z0-9-]+)`\s*\|[^|]*\|\s*(?<port>\d+)\s*\|\s*\d+\s*\|\s*\d+\s*\|\s*$", RegexOptions.Multiline)]
    private static partial Regex AppRow();
}
