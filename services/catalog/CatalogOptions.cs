using Microsoft.Extensions.Options;

namespace Catalog;

/// <summary>Catalog settings, bound from the "Catalog" configuration section and validated on start.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Base time-to-live of a cached slot or slot list.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Up to this fraction is added at random to each entry's TTL (0.2 = 0–20%).</summary>
    public double CacheTtlJitter { get; set; } = 0.2;
}

internal sealed class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        var failures = new List<string>();
        if (options.CacheTtl < TimeSpan.FromSeconds(1) || options.CacheTtl > TimeSpan.FromDays(1))
            failures.Add($"{CatalogOptions.SectionName}:{nameof(options.CacheTtl)} must lie between 1 second and 1 day.");
        if (options.CacheTtlJitter is < 0 or > 1)
            failures.Add($"{CatalogOptions.SectionName}:{nameof(options.CacheTtlJitter)} must lie between 0 and 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
