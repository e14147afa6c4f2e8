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
            writer.WriteStartArray("details");
            writer.WriteStartObject();
            writer.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            writer.WriteString("reason", error.Reason);
            writer.WriteString("domain", "dapr.io");
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
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
