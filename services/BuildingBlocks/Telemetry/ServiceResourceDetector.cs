using System.Reflection;
using OpenTelemetry.Resources;

namespace DaprReservations.BuildingBlocks.Telemetry;

/// <summary>Names the service in every span, metric and log from the validated <see cref="ServiceDefaultsOptions"/>.</summary>
internal sealed class ServiceResourceDetector(ServiceDefaultsOptions options) : IResourceDetector
{
    public Resource Detect() =>
        ResourceBuilder.CreateEmpty()
            .AddService(options.ServiceName, serviceVersion: options.ServiceVersion ?? EntryAssemblyVersion())
            .Build();

    private static string? EntryAssemblyVersion() =>
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
}
