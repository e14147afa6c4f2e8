using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DaprReservations.BuildingBlocks.Health;

/// <summary>
/// Writes <c>{"status", "totalDurationMs", "checks": [{"name", "status", "description", "durationMs"}]}</c> so an
/// operator sees which dependency is down, and why, from the probe's answer alone. Exceptions are summarised by the
/// check's description, never dumped: the endpoints are anonymous.
/// </summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthResponse(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            [.. report.Entries.Select(entry => new HealthCheckResponse(
                entry.Key,
                entry.Value.Status.ToString(),
                entry.Value.Description,
                Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                [.. entry.Value.Tags]))]);

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, DaprReservationsJson.Options, context.RequestAborted);
    }

    private sealed record HealthResponse(string Status, double TotalDurationMs, IReadOnlyList<HealthCheckResponse> Checks);

    private sealed record HealthCheckResponse(
        string Name, string Status, string? Description, double DurationMs, IReadOnlyList<string> Tags);
}
