using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DaprReservations.BuildingBlocks.Problems;

/// <summary>
/// The error answers endpoints give on purpose, one per meaning, so every service says "stale ETag" or "try later"
/// the same way. Each returns a typed result a minimal-API handler can return directly.
/// </summary>
public static class ApiProblems
{
    /// <summary>400 with <c>errors</c>: field name → messages.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail);

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    /// <summary>409: the request is valid but the resource's state refuses it (sold out, hold already confirmed).</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict);

    /// <summary>412: the client's <c>If-Match</c> ETag is stale; it must re-read before writing.</summary>
    public static ProblemHttpResult PreconditionFailed(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status412PreconditionFailed);

    /// <summary>429 with <c>Retry-After</c>: the client is over its rate.</summary>
    public static RetryAfterProblemResult TooManyRequests(TimeSpan retryAfter, string detail) =>
        new(TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests), retryAfter);

    /// <summary>503 with <c>Retry-After</c>: a dependency (sidecar, store, contention budget) cannot serve now.</summary>
    public static RetryAfterProblemResult ServiceUnavailable(TimeSpan retryAfter, string detail) =>
        new(TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable), retryAfter);
}
