using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Web.Edge;

/// <summary>Token bucket per signed-in user, or per client address for anonymous requests (section <c>Edge:RateLimit</c>).</summary>
public sealed class EdgeRateLimitOptions
{
    public const string SectionName = "Edge:RateLimit";

    /// <summary>Burst: requests a client may send at once.</summary>
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; } = 100;

    /// <summary>Requests a client regains per <see cref="ReplenishmentPeriod"/>.</summary>
    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; } = 50;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Abuse limit at the edge: one client cannot take the services' capacity from everyone else. Over the limit the
/// answer is 429 ProblemDetails with <c>Retry-After</c>, before anything is forwarded.
/// </summary>
public static class EdgeRateLimiting
{
    public const string PolicyName = "edge";

    public static WebApplicationBuilder AddEdgeRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeRateLimitOptions>().BindConfiguration(EdgeRateLimitOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<EdgeRateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.TokenLimit,
                    TokensPerPeriod = options.TokensPerPeriod,
                    ReplenishmentPeriod = options.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, ct) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                await ApiProblems.TooManyRequests(retryAfter, "Too many requests from this client; slow down.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>The token's subject when signed in (validated by UseAuthentication), else the client address.</summary>
    private static string PartitionKey(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(ClaimNames.Subject)?.Value is { } subject
            ? "user:" + subject
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
