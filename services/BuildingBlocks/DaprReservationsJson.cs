using System.Text.Json;

namespace DaprReservations.BuildingBlocks;

/// <summary>
/// The project's one JSON shape (web defaults: camelCase, case-insensitive reads, numbers from strings), used at the
/// HTTP edge, in state values and in pub/sub payloads alike, so a value written by one service reads back in another.
/// </summary>
public static class DaprReservationsJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
