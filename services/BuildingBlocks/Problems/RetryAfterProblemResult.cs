using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DaprReservations.BuildingBlocks.Problems;

/// <summary>A problem response that also tells the client when to try again (<c>Retry-After</c>, in whole seconds).</summary>
public sealed class RetryAfterProblemResult : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>, IContentTypeHttpResult
{
    private readonly ProblemHttpResult problem;

    internal RetryAfterProblemResult(ProblemHttpResult problem, TimeSpan retryAfter)
    {
        this.problem = problem;
        // Rounded up and at least 1: "Retry-After: 0" invites exactly the retry storm the status is meant to stop.
        RetryAfterSeconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
    }

    public long RetryAfterSeconds { get; }

    public ProblemDetails ProblemDetails => problem.ProblemDetails;

    public int? StatusCode => problem.StatusCode;

    public string? ContentType => problem.ContentType;

    object? IValueHttpResult.Value => problem.ProblemDetails;

    ProblemDetails? IValueHttpResult<ProblemDetails>.Value => problem.ProblemDetails;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return problem.ExecuteAsync(httpContext);
    }
}
