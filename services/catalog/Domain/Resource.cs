namespace Catalog.Domain;

public enum ResourceKind
{
    Room,
    Table,
    Event,
    Product,
}

/// <summary>The requested fields of a resource, as the client sent them (any may be missing).</summary>
public sealed record ResourceSpec(string? Kind, string? Name, string? Description);

/// <summary>Something that can be reserved; its slots carry the times and capacities.</summary>
public sealed class Resource
{
    private Resource()
    {
        Name = "";
    }

    public Guid Id { get; private set; }

    public ResourceKind Kind { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    /// <summary>Starts at 1 and grows by one on every change: the optimistic-concurrency token and the HTTP ETag.</summary>
    public long Version { get; private set; }

    public static DomainOutcome<Resource> Create(Guid id, ResourceSpec spec)
    {
        var errors = new DomainErrors();
        var kind = Check(spec, errors);
        if (!errors.IsEmpty)
            return DomainOutcome<Resource>.Invalid(errors);

        return DomainOutcome<Resource>.Valid(new Resource
        {
            Id = id,
            Kind = kind!.Value,
            Name = spec.Name!.Trim(),
            Description = Normalize(spec.Description),
            Version = 1,
        });
    }

    public DomainErrors Update(ResourceSpec spec)
    {
        var errors = new DomainErrors();
        var kind = Check(spec, errors);
        if (!errors.IsEmpty)
            return errors;

        Kind = kind!.Value;
        Name = spec.Name!.Trim();
        Description = Normalize(spec.Description);
        Version++;
        return errors;
    }

    private static ResourceKind? Check(ResourceSpec spec, DomainErrors errors)
    {
        var kind = CatalogRules.CheckKind(spec.Kind, errors);
        CatalogRules.CheckName(spec.Name, errors);
        CatalogRules.CheckDescription(spec.Description, errors);
        return kind;
    }

    private static string? Normalize(string? description) =>
        string.IsNullOrWhiteSpace(description) ? null : description.Trim();
}
