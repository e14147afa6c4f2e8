namespace Reservation.Application;

/// <summary>
/// Which slot a hold lives in, so a request naming only the hold finds its state. Written on every placement and on
/// a replay (the first attempt may have stored the hold and failed before its index). Adapter:
/// Infrastructure/State/DaprHoldIndex.cs.
/// </summary>
public interface IHoldIndex
{
    Task RememberAsync(string holdId, string slotId, CancellationToken cancellationToken);

    /// <summary>The hold's slot, or null for a hold this service never placed (or long forgotten).</summary>
    Task<string?> FindSlotAsync(string holdId, CancellationToken cancellationToken);
}
