using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace BuildingBlocks.Tests.Infrastructure;

public static class Registrations
{
    /// <summary>
    /// Descriptors that an assembly contributed: its types as service or implementation, its instances, its factories.
    /// </summary>
    public static IReadOnlyList<ServiceDescriptor> ContributedBy(this IServiceCollection services, Assembly assembly) =>
        [.. services.Where(descriptor => TypesOf(descriptor).Any(type => type?.Assembly == assembly))];

    private static IEnumerable<Type?> TypesOf(ServiceDescriptor descriptor)
    {
        yield return descriptor.ServiceType;
        foreach (var argument in descriptor.ServiceType.GenericTypeArguments)
            yield return argument;
        if (descriptor.IsKeyedService)
        {
            yield return descriptor.KeyedImplementationType;
            yield return descriptor.KeyedImplementationInstance?.GetType();
            yield return descriptor.KeyedImplementationFactory?.Method.DeclaringType;
        }
        else
        {
            yield return descriptor.ImplementationType;
            yield return descriptor.ImplementationInstance?.GetType();
            yield return descriptor.ImplementationFactory?.Method.DeclaringType;
        }
    }
}
