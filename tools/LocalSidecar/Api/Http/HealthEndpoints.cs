namespace LocalSidecar.Api.Http;

/// <summary>daprd's health routes: 204 once the sidecar is up; both exempt from the API token.</summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1.0/healthz", () => Results.NoContent());
        endpoints.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());
    }
}
