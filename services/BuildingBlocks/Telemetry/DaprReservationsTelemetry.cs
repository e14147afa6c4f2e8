using System.Diagnostics;

namespace DaprReservations.BuildingBlocks.Telemetry;

/// <summary>
/// The one ActivitySource and Meter name the project's own spans and instruments use, so the telemetry set-up
/// listens to exactly what the code emits.
/// </summary>
public static class DaprReservationsTelemetry
{
    public const string ActivitySourceName = "DaprReservations";
    public const string MeterName = "DaprReservations";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
