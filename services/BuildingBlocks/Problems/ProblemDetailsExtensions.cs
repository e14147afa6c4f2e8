using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DaprReservations.BuildingBlocks.Problems;

/// <summary>
/// Every error leaves a service as RFC 9457 <c>application/problem+json</c> carrying <c>traceId</c> and <c>instance</c>,
/// whether an endpoint returned it, the framework refused the request, or the code threw.
/// </summary>
public static class ProblemDetailsExtensions
{
    public const string TraceIdExtension = "traceId";
    public const string ExceptionExtension = "exception";

    public static IServiceCollection AddDefaultProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Customize);
        services.AddExceptionHandler<BadRequestExceptionHandler>();

        // Off by default outside Development, in which case minimal APIs answer a malformed body with a bare 400 and
        // only a log line says why. Throwing lets BadRequestExceptionHandler tell the client what was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static IApplicationBuilder UseDefaultProblemDetails(this IApplicationBuilder app)
    {
        // No handler path: the middleware renders through IProblemDetailsService (500, no stack trace).
        app.UseExceptionHandler();
        // Turns body-less 4xx/5xx (unknown route 404, wrong verb 405, wrong content type 415, Results.NotFound())
        // into problem documents.
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        return app;
    }

    /// <summary>
    /// Bodies the framework's readers would throw on (a charset .NET cannot decode, a CloudEvent Dapr's middleware
    /// cannot unwrap) answer 415/400 problems instead of 500. Place it after authentication-like gates, so a caller
    /// that may not call a route learns nothing about how its body is read.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyGuard(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestBodyGuard>();

    private static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        problem.Instance ??= $"{request.PathBase}{request.Path}";
        problem.Extensions.TryAdd(TraceIdExtension, Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);

        var environment = context.HttpContext.RequestServices.GetRequiredService<IHostEnvironment>();
        if (context.Exception is { } exception && environment.IsDevelopment())
        {
            problem.Extensions[ExceptionExtension] = new Dictionary<string, string?>
            {
                ["type"] = exception.GetType().FullName,
                ["message"] = exception.Message,
                ["stackTrace"] = exception.StackTrace,
            };
        }
    }
}
