using System.Text.Json;
using System.Text.Json.Serialization;

namespace LocalSidecar.Actors;

/// <summary>The body of PUT /v1.0/actors/{type}/{id}/reminders|timers/{name} (dapr:pkg/actors/api CreateReminderRequest/CreateTimerRequest).</summary>
public sealed record ActorScheduleRequest(
    [property: JsonPropertyName("dueTime")] string? DueTime,
    [property: JsonPropertyName("period")] string? Period,
    [property: JsonPropertyName("ttl")] string? Ttl,
    [property: JsonPropertyName("callback")] string? Callback,
    [property: JsonPropertyName("data")] JsonElement? Data);

/// <summary>A registered reminder or timer, with its parsed schedule.</summary>
public sealed class ActorSchedule
{
    public required string Type { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required bool IsTimer { get; init; }
    public required ActorScheduleRequest Request { get; init; }
    public required DateTimeOffset FirstDue { get; init; }
    public ActorPeriod? Period { get; init; }
    public DateTimeOffset? Expiry { get; init; }
    public CancellationTokenSource Cancellation { get; } = new();

    public string Key => $"{Type}||{Id}||{Name}";

    /// <summary>Raw JSON of the registered data, or null when none was given.</summary>
    public string? DataJson => Request.Data is { ValueKind: not JsonValueKind.Undefined } d ? d.GetRawText() : null;

    /// <summary>
    /// daprd's firing body: reminder {"data","dueTime","period"}, timer {"callback","data","dueTime","period"}, with
    /// the strings as registered.
    /// </summary>
    public byte[] FiringBody()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            if (IsTimer)
                writer.WriteString("callback", Request.Callback ?? "");
            writer.WritePropertyName("data");
            if (DataJson is { } data)
                writer.WriteRawValue(data, skipInputValidation: true);
            else
                writer.WriteNullValue();
            writer.WriteString("dueTime", Request.DueTime ?? "");
            writer.WriteString("period", Request.Period ?? "");
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>GET …/reminders/{name}: {"actorID","actorType","data","dueTime","period","ttl"}, empty ones left out.</summary>
    public byte[] Describe()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("actorID", Id);
            writer.WriteString("actorType", Type);
            if (DataJson is { } data)
            {
                writer.WritePropertyName("data");
                writer.WriteRawValue(data, skipInputValidation: true);
            }

            if (!string.IsNullOrEmpty(Request.DueTime))
                writer.WriteString("dueTime", Request.DueTime);
            if (!string.IsNullOrEmpty(Request.Period))
                writer.WriteString("period", Request.Period);
            if (!string.IsNullOrEmpty(Request.Ttl))
                writer.WriteString("ttl", Request.Ttl);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
