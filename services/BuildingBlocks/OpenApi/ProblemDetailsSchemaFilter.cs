using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace DaprReservations.BuildingBlocks.OpenApi;

/// <summary>
/// Puts ProblemDetails and HttpValidationProblemDetails in every document's components, so client generators know the
/// error shape even for a service whose endpoints declare no error response yet.
/// </summary>
internal sealed class ProblemDetailsSchemaFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        context.SchemaGenerator.GenerateSchema(typeof(HttpValidationProblemDetails), context.SchemaRepository);
    }
}
