namespace DaprReservations.Testing;

/// <summary>
/// Waits for an asynchronous outcome (an event consumed, a saga finished): retries the assertion until it passes or
/// the time is up, then rethrows its last failure, so the test reports what was still wrong.
/// </summary>
public static class Eventually
{
    public static async Task Async(Func<Task> assertion, TimeSpan? within = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(every ?? TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; on timeout says what was awaited, with the app's logs.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, string? logs = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }

        throw new TimeoutException($"Timed out waiting for: {what}\n{logs}");
    }
}
