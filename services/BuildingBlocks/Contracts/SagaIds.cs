using System.Globalization;
using System.Text;

namespace DaprReservations.BuildingBlocks.Contracts;

/// <summary>
/// The one definition of what the ids in saga events look like. Ordering issues order ids and payment issues payment
/// ids with <see cref="NewId"/>; every consumer refuses an event whose ids could not have been issued, before it
/// looks anything up (a quote, an emoji or a 10 KB string is never an order id).
/// </summary>
public static class SagaIds
{
    /// <summary>A GUID as 32 lowercase hex digits ("N" format): order ids and payment ids.</summary>
    public const int IssuedIdLength = 32;

    /// <summary>Customer ids are token subjects (Entra ID: 43 characters); this bound is the database column's.</summary>
    public const int CustomerIdMaxLength = 128;

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>A time-ordered id (UUID v7, same format): rows inserted in id order stay close in an index.</summary>
    public static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");

    public static bool IsOrderId(string? value) => IsIssued(value);

    public static bool IsPaymentId(string? value) => IsIssued(value);

    /// <summary>1 to 128 printable characters, no surrounding space: no control, format or unassigned code points, no lone surrogates.</summary>
    public static bool IsCustomerId(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > CustomerIdMaxLength || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
            return false;
        for (var index = 0; index < value.Length;)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                return false; // a lone surrogate
            if (!Printable(Rune.GetUnicodeCategory(rune)))
                return false;
            index += consumed;
        }

        return true;
    }

    private static bool IsIssued(string? value)
    {
        if (value is not { Length: IssuedIdLength })
            return false;
        foreach (var c in value)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
                return false;
        }

        return true;
    }

    private static bool Printable(UnicodeCategory category) => category is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
