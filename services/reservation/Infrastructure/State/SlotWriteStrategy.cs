using Reservation.Application;
using Reservation.Domain;

namespace Reservation.Infrastructure.State;

/// <summary>
/// One protected read-modify-write with the adapter's own retries. <c>mutate</c> may run once per attempt, always on
/// the state just read, and returns the state to write or null for "no change".
/// </summary>
public interface ISlotWriteStrategy
{
    Task UpdateAsync(string slotId, Func<SlotState, SlotState?> mutate, CancellationToken cancellationToken);
}

public static class SlotKeys
{
    // Dapr rejects keys containing "||" (its own prefix separator), hence ':' here.
    public static string Slot(string slotId) => $"slot:{slotId}";

    public static string HoldIndex(string holdId) => $"hold:{holdId}";

    public static string LockResource(string slotId) => $"slot:{slotId}";

    /// <summary>One customer's holds across slots (the overall cap). Escaped: a subject may contain Dapr's "||".</summary>
    public static string CustomerHolds(string customerId) => $"customer-holds:{Uri.EscapeDataString(customerId)}";
}
