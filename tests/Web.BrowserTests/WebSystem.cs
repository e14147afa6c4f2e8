using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace Web.BrowserTests;

/// <summary>
/// One running system for a collection of browser scenarios: web, catalog, reservation, ordering and payment as real
/// processes, each with its local sidecar, over real Redis; plus one headless chromium. Scenarios isolate themselves with fresh
/// resources and slots, never by resetting shared state.
/// </summary>
public class WebSystem : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public DaprSystem System { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The web app's own address: what a browser (or the ingress in front of it) talks to.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Plain HTTP to the web app, as the SPA's fetch calls are; no token.</summary>
    public HttpClient Http { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string> ReservationSettings => new Dictionary<string, string>();

    /// <summary>Ordering and payment (the saga); a scenario about holds alone starts faster without them.</summary>
    protected virtual bool WithOrdering => true;

    private static AppSpec[] OrderingApps =>
    [
        new AppSpec("ordering", "services/ordering", "Ordering.dll", Env: new()
        {
            ["ConnectionStrings__ordering"] = "Data Source={data}/ordering.db",
            ["Ordering__SweepInterval"] = "00:00:01",
            ["Outbox__PollInterval"] = "00:00:00.250",
        }),
        new AppSpec("payment", "services/payment", "Payment.dll", Env: new()
        {
            ["ConnectionStrings__payment"] = "Data Source={data}/payment.db",
            ["Outbox__PollInterval"] = "00:00:00.250",
        }),
    ];

    public async Task InitializeAsync()
    {
        var reservation = new Dictionary<string, string>
        {
            ["ConnectionStrings__reservation"] = "Data Source={data}/reservation.db",
            ["Reservation__SweepInterval"] = "00:00:01",
        };
        foreach (var (key, value) in ReservationSettings)
            reservation[key] = value;

        System = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Redis,
            Apps =
            [
                new AppSpec("web", "services/web", "Web.dll"),
                new AppSpec("catalog", "services/catalog", "Catalog.dll", Env: new() { ["ConnectionStrings__catalog"] = "Data Source={data}/catalog.db" }),
                new AppSpec("reservation", "services/reservation", "Reservation.dll", Env: reservation),
                .. WithOrdering ? OrderingApps : [],
            ],
        });
        Http = System.Direct("web");
        BaseUrl = Http.BaseAddress!;

        // Answers pass through two sidecars on a shared 2-core machine: give the page time, fail with what it shows.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser profile (its own storage, so its own sign-in), at phone width unless told otherwise.</summary>
    public async Task<Shopper> OpenAsync(string user, string locale = "en-US", bool phone = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            ViewportSize = phone ? new ViewportSize { Width = 375, Height = 812 } : new ViewportSize { Width = 1280, Height = 900 },
            BaseURL = BaseUrl.ToString(),
        });
        var page = await context.NewPageAsync();
        var shopper = new Shopper(this, context, page, user);
        shopper.StartWatching();
        await shopper.SignInAsync();
        return shopper;
    }

    /// <summary>A token from the web app's development issuer, the same one the SPA signs in with.</summary>
    public async Task<string> TokenAsync(string user)
    {
        using var response = await Http.PostAsJsonAsync("dev/token", new { user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Seeds a resource with one slot per capacity through the catalog admin API, via the web app's proxy.</summary>
    public async Task<(string ResourceId, string[] SlotIds)> SeedAsync(string name, params int[] capacities)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/catalog/admin/resources")
        {
            Content = JsonContent.Create(new { kind = "event", name, description = "browser test" }),
        };
        var admin = await TokenAsync("admin");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var resource = await Http.SendAsync(request);
        resource.EnsureSuccessStatusCode();
        var resourceId = (await resource.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var slots = new List<string>();
        var day = DateTimeOffset.UtcNow.Date.AddDays(14);
        foreach (var (capacity, index) in capacities.Select((c, i) => (c, i)))
        {
            using var slotRequest = new HttpRequestMessage(HttpMethod.Post, $"api/catalog/admin/resources/{resourceId}/slots")
            {
                Content = JsonContent.Create(new { start = day.AddHours(10 + index * 2), end = day.AddHours(11 + index * 2), capacity, price = 25m }),
            };
            slotRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var slot = await Http.SendAsync(slotRequest);
            slot.EnsureSuccessStatusCode();
            slots.Add((await slot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        return (resourceId, [.. slots]);
    }

    /// <summary>Availability as the reservation service reports it (anonymous GET through the web app).</summary>
    public async Task<JsonElement> AvailabilityAsync(string slotId) =>
        await Http.GetFromJsonAsync<JsonElement>($"api/reservation/slots/{slotId}/availability");

    /// <summary>
    /// Waits until the catalog has consumed every <c>catalog.slot-changed</c> event (its consumer group has nothing
    /// pending or unread), so no late eviction interferes with a cache observation.
    /// </summary>
    public async Task CatalogEventsSettledAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(System.Redis!.Host);
        var db = redis.GetDatabase();
        await Eventually.Async(async () =>
        {
            var stream = await db.StreamInfoAsync("catalog.slot-changed");
            var group = (await db.StreamGroupInfoAsync("catalog.slot-changed")).Single(g => g.Name == "catalog");
            group.PendingMessageCount.Should().Be(0);
            group.LastDeliveredId.Should().Be(stream.LastGeneratedId.ToString());
        }, TimeSpan.FromSeconds(20));
    }

    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("SCREENSHOTS_DIR") is { Length: > 0 } dir ? dir
            : Path.Combine(RepoLayout.Root, "TestResults", "screenshots")).FullName;

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (System is not null)
            await System.DisposeAsync();
    }
}

/// <summary>The main system: holds last the default 10 minutes.</summary>
public sealed class ShopSystem : WebSystem;

/// <summary>A system whose holds expire after three seconds, for the expiry scenario.</summary>
public sealed class ShortHoldSystem : WebSystem
{
    public static readonly TimeSpan HoldTtl = TimeSpan.FromSeconds(3);

    protected override IReadOnlyDictionary<string, string> ReservationSettings =>
        new Dictionary<string, string> { ["Reservation__HoldTtl"] = HoldTtl.ToString() };

    protected override bool WithOrdering => false;
}

[CollectionDefinition(Name)]
public sealed class ShopCollection : ICollectionFixture<ShopSystem>
{
    public const string Name = "shop";
}

[CollectionDefinition(Name)]
public sealed class ShortHoldCollection : ICollectionFixture<ShortHoldSystem>
{
    public const string Name = "short holds";
}
