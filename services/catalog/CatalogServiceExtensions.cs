using Catalog.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Catalog;

public static class CatalogServiceExtensions
{
    /// <summary>Options, cache-aside, change notification, metrics and the clock the domain rules read.</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CatalogOptions>, CatalogOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CatalogMetrics>();
        builder.Services.AddSingleton<SlotCache>();
        builder.Services.AddScoped<SlotChangeNotifier>();
        return builder;
    }
}
