using Reservation.Domain;

namespace Reservation.Application;

/// <summary>
/// Where decisions on a slot run. The domain says what changes (<see cref="SlotState"/> decisions); the strategy
/// behind this port says how the read-modify-write is protected (ETag, lock, actor turn; adapters in
/// Infrastructure/State and Infrastructure/Actors). Lazy pruning runs first on every write, so expiry never waits for
/// the sweeper.
/// </summary>
public interface ISlotStore
{
    /// <summary>Runs <paramref name="command"/> on the newest state and returns the decision that was committed.</summary>
    /// <exception cref="SlotNotFoundException">The catalog does not know the slot.</exception>
    /// <exception cref="SlotContentionException">The write could not win within the retry budget.</exception>
    Task<Decision<T>> UpdateAsync<T>(string slotId, SlotCommand<T> command, CancellationToken cancellationToken);

    /// <summary>The stored state and its store ETag, or null when the slot has no state yet.</summary>
    Task<(SlotState? State, string ETag)> GetAsync(string slotId, CancellationToken cancellationToken);
}

/// <summary>Builds a slot's state when the hot store has none (first use, or Redis lost it): the reconciliation path.</summary>
public interface ISlotSeeder
{
    Task<SlotState?> SeedAsync(string slotId, CancellationToken cancellationToken);
}

public sealed class SlotNotFoundException(string slotId) : Exception($"Slot '{slotId}' does not exist.")
{
    public string SlotId { get; } = slotId;
}

/// <summary>A guarded key (a slot, or a customer's count) stayed contended for the whole retry budget.</summary>
public sealed class SlotContentionException(string key, int attempts, TimeSpan retryAfter)
    : Exception($"'{key}' stayed contended for {attempts} attempts.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

