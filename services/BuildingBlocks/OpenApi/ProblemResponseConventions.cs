using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace DaprReservations.BuildingBlocks.OpenApi;

/// <summary>Documents error answers on an endpoint or a whole route group, as problem+json.</summary>
public static class ProblemResponseConventions
{
    private static readonly string[] ProblemContentTypes = ["application/problem+json"];

    /// <summary>The answers any endpoint can give: 400 (validation or unreadable body) and 500.</summary>
    public static TBuilder ProducesDefaultProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .ProducesProblemResponse(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails))
            .ProducesProblemResponse(StatusCodes.Status500InternalServerError);

    /// <summary>Further documented answers, e.g. <c>.ProducesProblems(404, 409, 412)</c>.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var statusCode in statusCodes)
            builder.ProducesProblemResponse(statusCode);
        return builder;
    }

    private static TBuilder ProducesProblemResponse<TBuilder>(this TBuilder builder, int statusCode, Type? type = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, type ?? typeof(ProblemDetails), ProblemContentTypes));
}
