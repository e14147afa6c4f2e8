using System.Net.Http.Headers;
using System.Net.Http.Json;
using DaprReservations.BuildingBlocks;

namespace DaprReservations.Testing;

/// <summary>
/// A delivery as daprd makes it: a CloudEvent (<c>application/cloudevents+json</c>) posted to the app's subscription
/// route. Lets a test reach one app directly (no shared consumer group) or release many deliveries at one instant.
/// </summary>
public static class CloudEventDelivery
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient app, string route, string topic, object? data, string eventId)
    {
        var envelope = new Dictionary<string, object?>
        {
            ["id"] = eventId, ["source"] = "ordering", ["type"] = topic + ".v1", ["specversion"] = "1.0",
            ["datacontenttype"] = "application/json", ["topic"] = topic, ["pubsubname"] = "pubsub", ["data"] = data,
        };
        var content = JsonContent.Create(envelope, mediaType: new MediaTypeHeaderValue("application/cloudevents+json"),
            options: DaprReservationsJson.Options);
        return app.PostAsync(route.TrimStart('/'), content);
    }
}
