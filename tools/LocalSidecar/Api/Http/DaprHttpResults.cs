using System.Text.Json;

namespace LocalSidecar.Api.Http;

/// <summary>daprd's HTTP error body: {"errorCode","message"[,"details":[ErrorInfo]]}, always application/json.</summary>
public static class DaprHttpResults
{
    public static async Task WriteErrorAsync(HttpContext context, DaprError error)
    {
        context.Response.StatusCode = error.HttpStatus;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("errorCode", error.ErrorCode);
        writer.WriteString("message", error.Message);
        if (error.Reason is not null)
        {
            // daprd (dapr/kit errors JSONErrorValue): details in the order they were added, map keys sorted as Go's JSON writes them.
            writer.WriteStartArray("details");
            if (error.Resource is { } resource)
            {
                writer.WriteStartObject();
                writer.WriteString("@type", "type.googleapis.com/google.rpc.ResourceInfo");
                writer.WriteString("description", resource.Description);
                writer.WriteString("owner", resource.Owner);
                writer.WriteString("resource_name", resource.Name);
                writer.WriteString("resource_type", resource.Type);
                writer.WriteEndObject();
            }

            writer.WriteStartObject();
            writer.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            writer.WriteString("domain", "dapr.io");
            writer.WriteStartObject("metadata");
            foreach (var (key, value) in (error.ReasonMetadata ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                writer.WriteString(key, value);
            writer.WriteEndObject();
            writer.WriteString("reason", error.Reason);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string errorCode, string message) =>
        WriteErrorAsync(context, new DaprError(status, errorCode, message, global::Grpc.Core.StatusCode.Unknown));

    /// <summary>Runs a handler and renders any <see cref="DaprError"/> it throws the way daprd does.</summary>
    public static async Task Guard(HttpContext context, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (DaprError error) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, error);
        }
    }
}
