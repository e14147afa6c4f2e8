using DaprReservations.BuildingBlocks.OpenApi;
using DaprReservations.BuildingBlocks.Problems;
using DaprReservations.BuildingBlocks;
using LocalSidecar.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace BuildingBlocks.Tests.Infrastructure;

/// <summary>
/// The smallest service a DaprReservations developer would write: defaults, OpenAPI, a handful of endpoints, and
/// nothing else. Configuration is only what a test passes, so a developer's environment variables cannot leak in.
/// </summary>
public sealed class SampleApp : IAsyncDisposable
{
    public const string ServiceName = "sample";
    public const string Title = "Sample API";

    /// <summary>The app token every sample app is given (outside Development a service refuses to start without one).</summary>
    public const string AppToken = "sample-app-token-0123456789abcdef";

    private SampleApp(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>Builds the app's builder with the defaults, without building or starting it.</summary>
    public static WebApplicationBuilder CreateBuilder(
        IDictionary<string, string?>? settings = null, string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ServiceDefaultsOptions.SectionName}:{nameof(ServiceDefaultsOptions.ServiceName)}"] = ServiceName,
            // Never the default 3500: another process on this machine may well run a sidecar there.
            ["DAPR_HTTP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["APP_API_TOKEN"] = AppToken,
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);

        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        builder.AddDefaultOpenApi(Title);
        return builder;
    }

    public static async Task<SampleApp> StartAsync(
        IDictionary<string, string?>? settings = null, string environment = "Production")
    {
        var app = CreateBuilder(settings, environment).Build();
        app.MapDefaultEndpoints();
        app.UseDefaultOpenApi();
        MapSampleEndpoints(app);
        await app.StartAsync();
        return new SampleApp(app);
    }

    /// <summary>Wraps an app a test built from <see cref="CreateBuilder"/> with its own middleware, already started.</summary>
    public static SampleApp From(WebApplication started) => new(started);

    private static void MapSampleEndpoints(WebApplication app)
    {
        var items = app.MapGroup("/api/items").ProducesDefaultProblems();

        items.MapGet("/{id:int}", (int id) => TypedResults.Ok(new Item($"item-{id}", 1)))
            .WithName("GetItem");

        items.MapPost("/", (Item item) => string.IsNullOrWhiteSpace(item.Name)
                ? (IResult)ApiProblems.Validation("name", "A name is required.")
                : TypedResults.Created($"/api/items/{item.Name}", item))
            .WithName("CreateItem");

        items.MapPut("/{id:int}", (int id, [FromHeader(Name = "If-Match")] string? ifMatch) => ifMatch == "\"current\""
                ? (IResult)TypedResults.NoContent()
                : ApiProblems.PreconditionFailed($"Item {id} changed since ETag {ifMatch} was read."))
            .WithName("UpdateItem")
            .ProducesProblems(StatusCodes.Status412PreconditionFailed);

        items.MapPost("/{id:int}/confirm", (int id) => ApiProblems.Conflict($"Item {id} is already confirmed."))
            .WithName("ConfirmItem")
            .ProducesProblems(StatusCodes.Status409Conflict);

        app.MapGet("/api/throttled", () => ApiProblems.TooManyRequests(TimeSpan.FromSeconds(2.5), "Slow down."));
        app.MapGet("/api/unavailable", () => ApiProblems.ServiceUnavailable(TimeSpan.FromSeconds(10), "Store is down."));
        app.MapGet("/api/boom", string () => throw new InvalidOperationException("Connection string Password=hunter2 leaked"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public sealed record Item(string Name, int Quantity);
