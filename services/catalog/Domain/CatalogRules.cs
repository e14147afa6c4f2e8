namespace Catalog.Domain;

/// <summary>The limits a resource or slot must respect; the API and the SQL check constraints quote these numbers.</summary>
public static class CatalogRules
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int MinCapacity = 1;
    public const int MaxCapacity = 100_000;
    public const decimal MaxPrice = 1_000_000m;
    public const int PriceDecimals = 2;

    /// <summary>A slot longer than this is almost certainly a typo (a year instead of a day).</summary>
    public static readonly TimeSpan MaxSlotLength = TimeSpan.FromDays(31);

    public static void CheckName(string? name, DomainErrors errors)
    {
        if (string.IsNullOrWhiteSpace(name))
            errors.Add("name", "A name is required.");
        else if (name.Trim().Length > NameMaxLength)
            errors.Add("name", $"A name has at most {NameMaxLength} characters.");
    }

    public static void CheckDescription(string? description, DomainErrors errors)
    {
        if (description is { Length: > DescriptionMaxLength })
            errors.Add("description", $"A description has at most {DescriptionMaxLength} characters.");
    }

    public static ResourceKind? CheckKind(string? kind, DomainErrors errors)
    {
        if (string.IsNullOrWhiteSpace(kind))
        {
            errors.Add("kind", "A kind is required: room, table, event or product.");
            return null;
        }
        // Enum.TryParse alone would accept "1" or "Room,Table"; only the names are part of the contract.
        if (Enum.GetNames<ResourceKind>().FirstOrDefault(name => name.Equals(kind, StringComparison.OrdinalIgnoreCase)) is { } match)
            return Enum.Parse<ResourceKind>(match);
        errors.Add("kind", $"'{kind}' is not a kind: room, table, event or product.");
        return null;
    }

    /// <summary>
    /// Checks a slot's fields; <paramref name="now"/> keeps new times out of the past (an existing slot whose start
    /// has passed may still change its price or capacity as long as its times stay as they were).
    /// </summary>
    public static void CheckSlot(SlotSpec spec, DateTimeOffset now, DomainErrors errors, Slot? existing = null)
    {
        if (spec.Start is not { } start)
            errors.Add("start", "A start time is required.");
        else if (start < now && start != existing?.Start)
            errors.Add("start", "A slot cannot start in the past.");

        if (spec.End is not { } end)
            errors.Add("end", "An end time is required.");
        else if (spec.Start is { } from && end <= from)
            errors.Add("end", "The end must lie after the start.");
        else if (spec.Start is { } begin && end - begin > MaxSlotLength)
            errors.Add("end", $"A slot lasts at most {MaxSlotLength.TotalDays:0} days.");

        if (spec.Capacity is not { } capacity)
            errors.Add("capacity", "A capacity is required.");
        else if (capacity is < MinCapacity or > MaxCapacity)
            errors.Add("capacity", $"The capacity lies between {MinCapacity} and {MaxCapacity}.");

        if (spec.Price is not { } price)
            errors.Add("price", "A price is required (0 for free).");
        else if (price < 0 || price > MaxPrice)
            errors.Add("price", $"The price lies between 0 and {MaxPrice}.");
        else if (decimal.Round(price, PriceDecimals) != price)
            errors.Add("price", $"The price has at most {PriceDecimals} decimals.");
    }
}
