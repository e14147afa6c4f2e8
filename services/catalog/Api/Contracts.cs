using Catalog.Domain;

namespace Catalog.Api;

/// <summary>Every field is optional in the type so a missing one is a 400 naming the field, not a binding failure.</summary>
public sealed record ResourceRequest(string? Kind, string? Name, string? Description)
{
    public ResourceSpec ToSpec() => new(Kind, Name, Description);
}

public sealed record SlotRequest(DateTimeOffset? Start, DateTimeOffset? End, int? Capacity, decimal? Price)
{
    public SlotSpec ToSpec() => new(Start, End, Capacity, Price);
}

public sealed record ResourceResponse(Guid Id, string Kind, string Name, string? Description, long Version)
{
    public static ResourceResponse From(Resource resource) =>
        new(resource.Id, resource.Kind.ToString().ToLowerInvariant(), resource.Name, resource.Description, resource.Version);
}

public sealed record SlotResponse(Guid Id, Guid ResourceId, DateTimeOffset Start, DateTimeOffset End, int Capacity, decimal Price, long Version)
{
    public static SlotResponse From(Slot slot) =>
        new(slot.Id, slot.ResourceId, slot.Start, slot.End, slot.Capacity, slot.Price, slot.Version);
}

/// <summary>What the slot-list cache entry holds: every slot of one resource, filtered by time per request.</summary>
public sealed record ResourceSlotsResponse(Guid ResourceId, IReadOnlyList<SlotResponse> Slots);

/// <summary>The <c>catalog.slot-changed</c> payload; <c>version</c> lets a consumer ignore an older change.</summary>
public sealed record SlotChangedEvent(Guid SlotId, Guid ResourceId, int Capacity, long Version, bool Deleted);
