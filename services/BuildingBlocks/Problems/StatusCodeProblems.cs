using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace DaprReservations.BuildingBlocks.Problems;

/// <summary>
/// Body-less error answers (no route, wrong verb, wrong content type, no or insufficient credentials — all decided
/// by routing or authorization before any handler runs) become problem documents whose detail tells the client which
/// part of its request missed.
/// </summary>
internal static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var httpContext = context.HttpContext;
        var response = httpContext.Response;
        var problemDetailsService = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        var written = await problemDetailsService.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = response.StatusCode, Detail = DetailFor(httpContext) },
        });

        // A client that accepts no JSON (a browser asking for HTML) still learns the status.
        if (!written)
        {
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"Status Code: {response.StatusCode}", httpContext.RequestAborted);
        }
    }

    private static string? DetailFor(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var response = httpContext.Response;
        return response.StatusCode switch
        {
            StatusCodes.Status404NotFound when httpContext.GetEndpoint() is null =>
                $"No endpoint answers {request.Method} {request.PathBase}{request.Path}.",
            StatusCodes.Status405MethodNotAllowed => response.Headers.Allow.Count > 0
                ? $"{request.Method} is not allowed on {request.PathBase}{request.Path}; allowed: {response.Headers.Allow}."
                : $"{request.Method} is not allowed on {request.PathBase}{request.Path}.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"Content-Type '{request.ContentType ?? "(none)"}' is not accepted by {request.Method} {request.PathBase}{request.Path}.",
            // The JWT bearer challenge writes no body; WWW-Authenticate (kept) says why a presented token failed.
            StatusCodes.Status401Unauthorized =>
                $"{request.Method} {request.PathBase}{request.Path} needs a valid bearer token (Authorization: Bearer ...).",
            StatusCodes.Status403Forbidden =>
                $"The signed-in caller is not allowed to {request.Method} {request.PathBase}{request.Path}.",
            _ => null,
        };
    }
}
