using Microsoft.AspNetCore.Http.HttpResults;
using DaprReservations.BuildingBlocks.Problems;

namespace Catalog.Api;

/// <summary>
/// Strong ETags <c>"&lt;version&gt;"</c> at the HTTP edge, mapped onto the row's concurrency token. The database makes
/// the final decision (the UPDATE is conditional on the version); the checks here only answer early.
/// </summary>
public static class EntityTags
{
    public const string IfMatchHeader = "If-Match";
    public const string ETagHeader = "ETag";

    public static string Format(long version) => $"\"{version}\"";

    /// <summary>The precondition a write carries, parsed from If-Match.</summary>
    public sealed record Precondition(bool AnyVersion, IReadOnlyList<long> Versions)
    {
        public bool Matches(long current) => AnyVersion || Versions.Contains(current);
    }

    /// <summary>Null when the header is absent. Weak or malformed tags never match (If-Match compares strongly).</summary>
    public static Precondition? ParseIfMatch(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            return null;
        if (header.Trim() == "*")
            return new Precondition(AnyVersion: true, []);

        var versions = new List<long>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Length > 2 && part[0] == '"' && part[^1] == '"' && long.TryParse(part[1..^1],
                    System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
                versions.Add(version);
        }
        return new Precondition(AnyVersion: false, versions);
    }

    public static ProblemHttpResult Required() =>
        TypedResults.Problem("This write needs an If-Match header with the ETag of the version you read.",
            statusCode: StatusCodes.Status428PreconditionRequired);

    public static ProblemHttpResult Stale(string what, long current) =>
        ApiProblems.PreconditionFailed($"{what} has changed since you read it (current ETag {Format(current)}); read it again and retry.");
}
