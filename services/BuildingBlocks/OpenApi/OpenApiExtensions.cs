using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace DaprReservations.BuildingBlocks.OpenApi;

public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/swagger/v1/swagger.json";
    public const string UiRoutePrefix = "swagger";

    public static IServiceCollection AddDefaultOpenApi(this IServiceCollection services, string title)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        services.AddSingleton(new DefaultOpenApiDocument(title));
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo { Title = title, Version = DocumentName });
            options.DocumentFilter<ProblemDetailsSchemaFilter>();
        });
        return services;
    }

    public static TBuilder AddDefaultOpenApi<TBuilder>(this TBuilder builder, string title)
        where TBuilder : Microsoft.Extensions.Hosting.IHostApplicationBuilder
    {
        builder.Services.AddDefaultOpenApi(title);
        return builder;
    }

    /// <summary>
    /// Serves <c>/swagger/v1/swagger.json</c> and the UI at <c>/swagger</c> in Development, or where
    /// <c>OpenApi:Enabled</c> is true; production exposes no API map by default.
    /// </summary>
    public static WebApplication UseDefaultOpenApi(this WebApplication app)
    {
        var document = app.Services.GetService<DefaultOpenApiDocument>()
            ?? throw new InvalidOperationException("Call AddDefaultOpenApi(title) before UseDefaultOpenApi().");
        if (!app.Environment.IsDevelopment() && !app.Configuration.GetValue<bool>("OpenApi:Enabled"))
            return app;

        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, document.Title);
            options.RoutePrefix = UiRoutePrefix;
            options.DocumentTitle = document.Title;
        });
        return app;
    }

    private sealed record DefaultOpenApiDocument(string Title);
}
