using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;
using Microsoft.Data.Sqlite;

namespace Bench;

/// <summary>
/// The saga bar of BRIEF §5: N customers each hold a seat, order it and pay, a share of them declined by payment;
/// measured is the time until every order is terminal, with the services' default settings (hold lifetime included),
/// so a slow saga shows up as holds or orders running out, not as a shorter test timeout.
/// Catalog, reservation, ordering and payment run as processes with local sidecars on real Redis; what happened is
/// read from each service's own SQLite file afterwards, as an auditor would.
/// </summary>
public sealed class SagaLoad(int orders, double declinedShare, int clients)
{
    private const string DeclinedCustomer = "declined";
    private const int SeatsPerSlot = 20;
    private static readonly string[] Terminal = ["Confirmed", "Cancelled", "Expired", "Failed"];

    private sealed record Placed(string OrderId, bool Declined);

    public async Task<int> RunAsync()
    {
        await using var system = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Redis,
            Apps =
            [
                new AppSpec("catalog", "services/catalog", "Catalog.dll", new() { ["ConnectionStrings__catalog"] = "Data Source={data}/catalog.db" }),
                new AppSpec("reservation", "services/reservation", "Reservation.dll", new()
                {
                    ["ConnectionStrings__reservation"] = "Data Source={data}/reservation.db",
                    // One identity stands for all declined buyers: per-customer caps off (hold lifetime stays the default).
                    ["Reservation__Limits__MaxHeldPerSlot"] = "0",
                    ["Reservation__Limits__MaxHeldPerCustomer"] = "0",
                }),
                new AppSpec("ordering", "services/ordering", "Ordering.dll", new() { ["ConnectionStrings__ordering"] = "Data Source={data}/ordering.db" }),
                new AppSpec("payment", "services/payment", "Payment.dll", new()
                {
                    ["ConnectionStrings__payment"] = "Data Source={data}/payment.db",
                    ["Payment__DeclineCustomers__0"] = DeclinedCustomer,
                }),
            ],
        });
        var slots = await CreateSlotsAsync(system.Invoke("catalog", TestIdentity.Admin, admin: true), (orders + SeatsPerSlot - 1) / SeatsPerSlot);
        var http = new System.Collections.Concurrent.ConcurrentDictionary<(string, string), HttpClient>();
        HttpClient As(string customer, string app) => http.GetOrAdd((customer, app), key => system.Invoke(key.Item2, key.Item1));

        // Warm-up (JIT, pools, ledger rows) on a slot of its own: one full order, not measured.
        var warm = await CreateSlotsAsync(system.Invoke("catalog", TestIdentity.Admin, admin: true), 1);
        if (await BuyAsync(As, "warm-up", warm[0]) is { } warmOrder)
            await WaitTerminalAsync(system, new HashSet<string> { warmOrder.OrderId }, TimeSpan.FromSeconds(60));

        Console.Error.WriteLine($"saga: {orders} orders, {declinedShare:P0} declined, {clients} clients ...");
        var cpuBefore = CpuTimes();
        var clock = Stopwatch.StartNew();
        var placed = new Placed?[orders];
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, orders), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (i, _) =>
        {
            // Declined buyers spread evenly over the run (not all at the start or the end); buyers spread over the slots,
            // as many people buying many things (one hot slot is the hold benchmark's subject).
            var declined = Math.Floor((i + 1) * declinedShare) > Math.Floor(i * declinedShare);
            try
            {
                placed[i] = await BuyAsync(As, declined ? DeclinedCustomer : $"buyer-{i % 40}", slots[i % slots.Count]);
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref failures);
                Console.Error.WriteLine($"buyer {i}: {exception.Message}");
            }
        });
        var submitted = clock.Elapsed;
        var all = placed.OfType<Placed>().ToList();
        var statuses = await WaitTerminalAsync(system, all.Select(p => p.OrderId).ToHashSet(), TimeSpan.FromMinutes(3));
        var settled = clock.Elapsed;
        var cpu = CpuTimes().ToDictionary(c => c.Key, c => c.Value - cpuBefore.GetValueOrDefault(c.Key));

        var audit = await AuditAsync(system, all, statuses);
        Print(all, statuses, audit, failures, submitted, settled);
        await PrintStagesAsync(system, all.Select(p => p.OrderId).ToHashSet());
        Console.WriteLine();
        Console.WriteLine($"CPU seconds while measured ({Environment.ProcessorCount} cores, load average now {File.ReadAllText("/proc/loadavg").Split(' ')[0]}): "
            + string.Join(", ", cpu.Select(c => $"{c.Key} {c.Value.TotalSeconds:0.0}")));
        var pass = failures == 0 && all.Count == orders && audit.Inconsistent.Count == 0 && audit.ExpiredWhilePaid == 0
            && statuses.Values.All(Terminal.Contains) && settled <= TimeSpan.FromSeconds(15);
        Console.WriteLine(pass ? "saga bar: MET" : "saga bar: NOT MET");
        foreach (var problem in audit.Inconsistent.Take(20))
            Console.Error.WriteLine($"MONEY INCONSISTENT: {problem}");
        return audit.Inconsistent.Count == 0 ? 0 : 1;
    }

    /// <summary>Hold → order → pay, as a customer's browser does; 503/429 retried after Retry-After with the same key.</summary>
    private static async Task<Placed?> BuyAsync(Func<string, string, HttpClient> As, string customer, string slotId)
    {
        var holdKey = Guid.NewGuid().ToString("N");
        using var hold = await SendAsync(As(customer, "reservation"), "holds", new { slotId, quantity = 1 }, holdKey);
        if (hold.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"hold answered {(int)hold.StatusCode}: {await hold.Content.ReadAsStringAsync()}");
        var holdId = (await hold.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!;

        using var order = await SendAsync(As(customer, "ordering"), "orders", new { holdIds = new[] { holdId } }, "order-" + holdId);
        if (order.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"order answered {(int)order.StatusCode}: {await order.Content.ReadAsStringAsync()}");
        var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        using var pay = await SendAsync(As(customer, "ordering"), $"orders/{orderId}/pay", null, null);
        if (pay.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"pay answered {(int)pay.StatusCode}: {await pay.Content.ReadAsStringAsync()}");
        return new Placed(orderId, customer == DeclinedCustomer);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, object? body, string? key)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (key is not null)
                request.Headers.Add("Idempotency-Key", key);
            var response = await client.SendAsync(request);
            if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests) || attempt == 8)
                return response;
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200);
            response.Dispose();
            await Task.Delay(wait * (0.5 + Random.Shared.NextDouble()));
        }
    }

    /// <summary>Polls ordering's database until every order is terminal (or <paramref name="within"/> passes).</summary>
    private static async Task<Dictionary<string, string>> WaitTerminalAsync(DaprSystem system, IReadOnlySet<string> orderIds, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var statuses = (await QueryAsync(system, "ordering", "SELECT Id, Status FROM Orders", r => (r.GetString(0), r.GetString(1))))
                .Where(row => orderIds.Contains(row.Item1)).ToDictionary(row => row.Item1, row => row.Item2);
            if ((statuses.Count == orderIds.Count && statuses.Values.All(Terminal.Contains)) || deadline.Elapsed > within)
                return statuses;
            await Task.Delay(100);
        }
    }

    private sealed record Audit(int ExpiredWhilePaid, int HoldsRanOut, int Captured, int Refunded, List<string> Inconsistent);

    /// <summary>
    /// Money and timeliness from the services' own tables: a confirmed order has a capture, no refund and was not
    /// declined; a failed order was declined and charged nothing; any other end gives back what was taken; nothing is
    /// captured or refunded twice. "Expired because slow": the payment succeeded, yet the order or its hold ran out.
    /// </summary>
    private static async Task<Audit> AuditAsync(DaprSystem system, List<Placed> placed, Dictionary<string, string> statuses)
    {
        var problems = new List<string>();
        var reasons = (await QueryAsync(system, "ordering", "SELECT Id, COALESCE(Reason, '') FROM Orders", r => (r.GetString(0), r.GetString(1))))
            .ToDictionary(r => r.Item1, r => r.Item2);
        var payments = (await QueryAsync(system, "payment", "SELECT OrderId, Status FROM Payments", r => (r.GetString(0), r.GetString(1))))
            .ToDictionary(r => r.Item1, r => r.Item2);
        var ids = placed.Select(p => p.OrderId).ToHashSet();
        var transactions = (await QueryAsync(system, "payment", "SELECT OrderId, Kind FROM PaymentTransactions", r => (r.GetString(0), r.GetString(1))))
            .Where(t => ids.Contains(t.Item1)).ToList();
        var holdsRanOut = placed.Count(p => reasons.GetValueOrDefault(p.OrderId, "").Contains("expire", StringComparison.Ordinal));

        foreach (var duplicate in transactions.GroupBy(t => t).Where(g => g.Count() > 1))
            problems.Add($"{duplicate.Key.Item1}: {duplicate.Key.Item2} recorded {duplicate.Count()} times");
        var expiredWhilePaid = 0;
        foreach (var order in placed)
        {
            var status = statuses.GetValueOrDefault(order.OrderId, "?");
            var captured = transactions.Contains((order.OrderId, "Capture"));
            var refunded = transactions.Contains((order.OrderId, "Refund"));
            // Nobody cancels in this run, so a charged order that did not end confirmed lost its seat to the clock.
            if (captured && status != "Confirmed")
                expiredWhilePaid++;
            var consistent = status switch
            {
                "Confirmed" => captured && !refunded && !order.Declined && payments.GetValueOrDefault(order.OrderId) == "Captured",
                "Failed" => !captured && order.Declined && payments.GetValueOrDefault(order.OrderId) == "Declined",
                _ => refunded == captured,
            };
            if (!consistent)
                problems.Add($"{order.OrderId}: {status}, declined {order.Declined}, payment {payments.GetValueOrDefault(order.OrderId, "none")}, captured {captured}, refunded {refunded}");
        }

        return new Audit(expiredWhilePaid, holdsRanOut, transactions.Count(t => t.Item2 == "Capture"), transactions.Count(t => t.Item2 == "Refund"), problems);
    }

    private void Print(List<Placed> placed, Dictionary<string, string> statuses, Audit audit, int failures, TimeSpan submitted, TimeSpan settled)
    {
        var counts = Terminal.Append("not terminal").ToDictionary(s => s, s => 0);
        foreach (var status in placed.Select(p => statuses.GetValueOrDefault(p.OrderId, "")))
            counts[Terminal.Contains(status) ? status : "not terminal"]++;

        Console.WriteLine($"## Saga load: {orders} orders, {declinedShare:P0} declined, {clients} clients, default hold lifetime");
        Console.WriteLine("\n| measure | value |\n|---|---|");
        Console.WriteLine($"| orders placed and paid | {placed.Count} ({placed.Count(p => p.Declined)} by declined customers; {failures} buyers failed) |");
        Console.WriteLine($"| all submitted after | {submitted.TotalSeconds:0.0} s |");
        Console.WriteLine($"| all terminal after | {settled.TotalSeconds:0.0} s ({placed.Count / settled.TotalSeconds:0.0} orders/s) |");
        foreach (var (status, count) in counts)
            Console.WriteLine($"| {status} | {count} |");
        Console.WriteLine($"| expired although paid (slow) | {audit.ExpiredWhilePaid} |");
        Console.WriteLine($"| orders whose hold ran out | {audit.HoldsRanOut} |");
        Console.WriteLine($"| captures / refunds | {audit.Captured} / {audit.Refunded} |");
        Console.WriteLine($"| money inconsistencies | {audit.Inconsistent.Count} |");
    }

    /// <summary>
    /// Where an order's time goes, from the outbox rows' commit and publish times in both services (median / p90 ms):
    /// pay committed → payment.requested published → payment's answer committed → published → order closed.
    /// </summary>
    private static async Task PrintStagesAsync(DaprSystem system, IReadOnlySet<string> orderIds)
    {
        const string Rows = "SELECT PartitionKey, Topic, julianday(CreatedAtUtc) * 86400000.0, julianday(COALESCE(PublishedAtUtc, CreatedAtUtc)) * 86400000.0 FROM OutboxMessages";
        var rows = (await QueryAsync(system, "ordering", Rows, Read)).Concat(await QueryAsync(system, "payment", Rows, Read))
            .Where(r => orderIds.Contains(r.Order)).ToLookup(r => r.Order);
        var gaps = new Dictionary<string, List<double>>
        {
            ["pay → payment.requested published"] = [], ["published → payment answer committed"] = [],
            ["payment answer committed → published"] = [], ["answer published → order closed"] = [], ["pay → order closed"] = [],
        };
        foreach (var order in rows)
        {
            var requested = order.FirstOrDefault(r => r.Topic == "payment.requested");
            var answer = order.FirstOrDefault(r => r.Topic is "payment.succeeded" or "payment.failed");
            var closed = order.FirstOrDefault(r => r.Topic.StartsWith("order.", StringComparison.Ordinal));
            if (requested is null || answer is null || closed is null)
                continue;
            gaps["pay → payment.requested published"].Add(requested.Published - requested.Created);
            gaps["published → payment answer committed"].Add(answer.Created - requested.Published);
            gaps["payment answer committed → published"].Add(answer.Published - answer.Created);
            gaps["answer published → order closed"].Add(closed.Created - answer.Published);
            gaps["pay → order closed"].Add(closed.Created - requested.Created);
        }

        Console.WriteLine("\n| stage (ms) | median | p90 | max |\n|---|---|---|---|");
        foreach (var (stage, values) in gaps.Where(g => g.Value.Count > 0))
        {
            values.Sort();
            Console.WriteLine($"| {stage} | {values[values.Count / 2]:0} | {values[values.Count * 9 / 10]:0} | {values[^1]:0} |");
        }

        static Stage Read(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetDouble(2), r.GetDouble(3));
    }

    private sealed record Stage(string Order, string Topic, double Created, double Published);

    /// <summary>
    /// CPU time per process from the OS: each service's process (found by its dll path in this checkout) and this one
    /// (load generator and every sidecar). Other work on the machine shows as the gap to cores × wall time.
    /// </summary>
    private static Dictionary<string, TimeSpan> CpuTimes()
    {
        var times = new Dictionary<string, TimeSpan> { ["bench+sidecars"] = Process.GetCurrentProcess().TotalProcessorTime };
        foreach (var process in Process.GetProcessesByName("dotnet"))
        {
            try
            {
                var commandLine = File.ReadAllText($"/proc/{process.Id}/cmdline");
                foreach (var (app, dll) in new[] { ("catalog", "Catalog"), ("reservation", "Reservation"), ("ordering", "Ordering"), ("payment", "Payment") })
                {
                    if (commandLine.Contains(RepoLayout.BuildOutput($"services/{app}", dll + ".dll"), StringComparison.Ordinal))
                        times[app] = process.TotalProcessorTime;
                }
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or UnauthorizedAccessException)
            { } // the process ended while we looked: not one of ours
        }

        return times;
    }

    private static async Task<IReadOnlyList<string>> CreateSlotsAsync(HttpClient catalog, int count)
    {
        using var resource = await catalog.PostAsJsonAsync("admin/resources", new { kind = "event", name = $"saga {Guid.NewGuid():N}" });
        resource.EnsureSuccessStatusCode();
        var resourceId = (await resource.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var ids = new string[count];
        var start = DateTimeOffset.UtcNow.AddDays(2);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var slot = await catalog.PostAsJsonAsync($"admin/resources/{resourceId}/slots",
                new { start = start.AddHours(i), end = start.AddHours(i + 1), capacity = SeatsPerSlot, price = 1_000m }, ct);
            slot.EnsureSuccessStatusCode();
            ids[i] = (await slot.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        });
        return ids;
    }

    private static async Task<List<T>> QueryAsync<T>(DaprSystem system, string app, string sql, Func<SqliteDataReader, T> read)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(system.DataDirectory, app + ".db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(read(reader));
        return rows;
    }
}
