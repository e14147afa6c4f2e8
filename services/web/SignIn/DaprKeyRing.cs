using System.Xml.Linq;
using Dapr.Client;
using DaprReservations.BuildingBlocks.Topology;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Web.SignIn;

/// <summary>
/// The Data Protection key ring in the Dapr state store <c>sessionstore</c> (one key, <c>dataprotection-keys</c>): every
/// web replica decrypts every replica's session cookies and antiforgery tokens, and a restart keeps them valid. Adding
/// a key is a read-modify-write of the list guarded by its ETag (first write wins, retried), so two replicas rolling a
/// key at once both land. The key ring is read once a day and written about every 90 days: the blocking calls of the
/// synchronous <see cref="IXmlRepository"/> are rare and short.
/// </summary>
public sealed class DaprKeyRing(DaprClient dapr, ILogger<DaprKeyRing> logger) : IXmlRepository
{
    public const string Key = "dataprotection-keys";
    private const int MaxAttempts = 10;

    public IReadOnlyCollection<XElement> GetAllElements() =>
        Task.Run(async () => (await dapr.GetStateAsync<List<string>?>(Components.SessionStore, Key, ConsistencyMode.Strong))
                ?? []).GetAwaiter().GetResult()
            .Select(xml => XElement.Parse(xml))
            .ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        Task.Run(() => AddAsync(element.ToString(SaveOptions.DisableFormatting), friendlyName)).GetAwaiter().GetResult();

    private async Task AddAsync(string xml, string friendlyName)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (elements, etag) = await dapr.GetStateAndETagAsync<List<string>?>(Components.SessionStore, Key, ConsistencyMode.Strong);
            var updated = new List<string>(elements ?? []) { xml };
            var stored = string.IsNullOrEmpty(etag)
                ? await CreateAsync(updated)
                : await dapr.TrySaveStateAsync(Components.SessionStore, Key, updated, etag,
                    new StateOptions { Concurrency = ConcurrencyMode.FirstWrite, Consistency = ConsistencyMode.Strong });
            if (stored)
                return;
            logger.LogInformation("Data Protection key {Name}: the key ring changed meanwhile, attempt {Attempt}", friendlyName, attempt);
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50 * attempt)));
        }

        throw new InvalidOperationException($"Data Protection key {friendlyName} could not be added after {MaxAttempts} attempts.");
    }

    /// <summary>The first key: a first-write save without an ETag creates the list and marks it, so a second creator fails.</summary>
    private async Task<bool> CreateAsync(List<string> elements)
    {
        // On state.redis an ETag on a missing key does not fail (the key is simply inserted), but a first-write save
        // without one fails once the key exists with the first-write mark (shared/reference/dapr-semantics.md §1.4):
        // of two replicas creating the ring at once, one wins and the other re-reads and appends.
        try
        {
            await dapr.SaveStateAsync(Components.SessionStore, Key, elements,
                new StateOptions { Concurrency = ConcurrencyMode.FirstWrite, Consistency = ConsistencyMode.Strong });
            return true;
        }
        catch (Dapr.DaprException)
        {
            return false;
        }
    }
}
