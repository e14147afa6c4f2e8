using System.Text.Json;
using LocalSidecar.Hosting;

namespace LocalSidecar.Api.Http;

/// <summary>GET /v1.0/metadata and PUT /v1.0/metadata/{key}, shaped like daprd's JSON.</summary>
public static class MetadataEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1.0/metadata", (MetadataModel model, SidecarOptions options) => Results.Json(new
        {
            id = model.AppId,
            runtimeVersion = MetadataModel.RuntimeVersion,
            enabledFeatures = Array.Empty<string>(),
            actors = model.ActiveActors().Select(a => new { type = a.Type, count = a.Count }),
            components = model.Components.Select(c => new
            {
                name = c.Name,
                type = c.Type,
                version = c.Version,
                capabilities = MetadataModel.Capabilities(c),
            }),
            extended = model.ExtendedWithDefaults(),
            subscriptions = model.Subscriptions().Select(s => new
            {
                pubsubname = s.PubsubName,
                topic = s.Topic,
                metadata = s.Metadata,
                rules = s.Rules.Select(r => new { match = r.Match ?? "", path = r.Path }),
                deadLetterTopic = s.DeadLetterTopic ?? "",
            }),
            appConnectionProperties = new
            {
                port = options.AppPort ?? 0,
                protocol = "http",
                channelAddress = options.AppChannelAddress,
            },
        }, JsonOptions));

        endpoints.MapPut("/v1.0/metadata/{key}", async (string key, HttpRequest request, MetadataModel model) =>
        {
            using var reader = new StreamReader(request.Body);
            model.Extended[key] = await reader.ReadToEndAsync();
            return Results.NoContent();
        });
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
