using System.Net;
using System.Net.Http.Json;
using Dapr;

namespace DaprReservations.BuildingBlocks.Sidecar;

/// <summary>
/// Reads what another service recorded, through the Dapr sidecar (service invocation, as an internal caller), so an
/// event is checked against its owner's record, never against what the event claims.
/// </summary>
public static class OwnerRecords
{
    /// <summary>
    /// The owner's record at <paramref name="path"/>, or null when the owner itself answers that it has none (its own
    /// 404 problem document). Anything else — unreachable, another status, a 404 that is not the owner's (no route, a
    /// sidecar refusal), no body — throws the exception <paramref name="unavailable"/> makes: not the event's fault,
    /// so the caller must retry it, never drop it.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(HttpClient http, string path, Func<string, Exception?, Exception> unavailable, CancellationToken ct)
        where T : class
    {
        try
        {
            using var response = await http.GetAsync(path, ct);
            if (response.StatusCode == HttpStatusCode.NotFound && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                return null;
            if (!response.IsSuccessStatusCode)
                throw unavailable($"{path} answered {(int)response.StatusCode}", null);
            return await response.Content.ReadFromJsonAsync<T>(DaprReservationsJson.Options, ct)
                ?? throw unavailable($"{path} answered no body", null);
        }
        catch (Exception exception) when (exception is HttpRequestException or System.Text.Json.JsonException or DaprException
            || exception is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw unavailable($"{path} could not be read: {exception.Message}", exception);
        }
    }
}
