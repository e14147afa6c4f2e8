namespace Catalog.Domain;

/// <summary>The requested fields of a slot, as the client sent them (any may be missing).</summary>
public sealed record SlotSpec(DateTimeOffset? Start, DateTimeOffset? End, int? Capacity, decimal? Price);

/// <summary>A time window of a resource with a capacity (seats, tables, units) and a price per unit.</summary>
public sealed class Slot
{
    private Slot()
    {
    }

    public Guid Id { get; private set; }

    public Guid ResourceId { get; private set; }

    /// <summary>Always UTC, so comparisons and the SQL check constraint never depend on an offset.</summary>
    public DateTimeOffset Start { get; private set; }

    public DateTimeOffset End { get; private set; }

    public int Capacity { get; private set; }

    public decimal Price { get; private set; }

    /// <summary>Starts at 1 and grows by one on every change: the optimistic-concurrency token and the HTTP ETag.</summary>
    public long Version { get; private set; }

    public static DomainOutcome<Slot> Create(Guid id, Guid resourceId, SlotSpec spec, DateTimeOffset now)
    {
        var errors = new DomainErrors();
        CatalogRules.CheckSlot(spec, now, errors);
        if (!errors.IsEmpty)
            return DomainOutcome<Slot>.Invalid(errors);

        var slot = new Slot { Id = id, ResourceId = resourceId, Version = 1 };
        slot.Apply(spec);
        return DomainOutcome<Slot>.Valid(slot);
    }

    /// <summary>Changes the slot and advances its version, or leaves it untouched and says why not.</summary>
    public DomainErrors Update(SlotSpec spec, DateTimeOffset now)
    {
        var errors = new DomainErrors();
        CatalogRules.CheckSlot(spec, now, errors, existing: this);
        if (!errors.IsEmpty)
            return errors;

        Apply(spec);
        Version++;
        return errors;
    }

    private void Apply(SlotSpec spec)
    {
        Start = spec.Start!.Value.ToUniversalTime();
        End = spec.End!.Value.ToUniversalTime();
        Capacity = spec.Capacity!.Value;
        Price = spec.Price!.Value;
    }
}
