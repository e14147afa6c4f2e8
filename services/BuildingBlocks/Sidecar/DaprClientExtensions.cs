using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DaprReservations.BuildingBlocks.Sidecar;

public static class DaprClientExtensions
{
    /// <summary>
    /// Registers the singleton <see cref="DaprClient"/> with the project's JSON options. Endpoints
    /// and the API token come from DAPR_HTTP_ENDPOINT / DAPR_GRPC_ENDPOINT / DAPR_*_PORT / DAPR_API_TOKEN, read from
    /// configuration first and then the environment by the SDK itself.
    /// </summary>
    public static IServiceCollection AddDefaultDaprClient(this IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(DaprClient)))
            return services;

        services.AddDaprClient(client => client.UseJsonSerializationOptions(DaprReservationsJson.Options));
        return services;
    }
}
