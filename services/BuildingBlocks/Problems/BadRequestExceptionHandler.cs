using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace DaprReservations.BuildingBlocks.Problems;

/// <summary>
/// A request the framework could not bind (malformed JSON, wrong content type, unparsable route value) is the
/// client's mistake: answer it with its own 4xx and a detail the client can act on, never a 500.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(
    IProblemDetailsService problemDetailsService,
    ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest || httpContext.Response.HasStarted)
            return false;

        LogRejected(logger, badRequest.StatusCode, badRequest.Message);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetailsService.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = badRequest.StatusCode, Detail = DetailOf(badRequest) },
        });
    }

    // The JSON reader's message names the offending path and position ("Path: $.quantity | LineNumber: 0 ..."),
    // which is about the client's own document and is what it needs to fix the request.
    private static string DetailOf(BadHttpRequestException exception) =>
        exception.InnerException is JsonException json ? $"{exception.Message} {json.Message}" : exception.Message;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected request with {StatusCode}: {Reason}")]
    private static partial void LogRejected(ILogger logger, int statusCode, string reason);
}
