using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DaprReservations.Testing;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace Web.BrowserTests;

/// <summary>
/// One running system for a collection of browser scenarios: tools/DevIdentity (the OpenID Connect provider of local
/// runs), web, catalog, reservation, ordering and payment as real processes, each with its local sidecar, over real
/// Redis; plus one headless chromium. Every app trusts the provider (Auth:Authority) and people sign in on its login
/// page. Scenarios isolate themselves with fresh resources and slots, never by resetting shared state.
/// </summary>
public class WebSystem : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string WebClientSecret = "browser-tests-web-client-secret";

    private IPlaywright? _playwright;

    public DaprSystem System { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The web app's own address: what a browser (or the ingress in front of it) talks to.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Plain HTTP to the web app, as the SPA's fetch calls are; no token.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The provider's issuer URL (its own address), which every app trusts.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>The access token lifetime the provider issues; short in the system that watches a refresh.</summary>
    protected virtual TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(15);

    protected virtual IReadOnlyDictionary<string, string> ReservationSettings => new Dictionary<string, string>();

    protected virtual IReadOnlyDictionary<string, string> WebSettings => new Dictionary<string, string>();

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

        // Both addresses are known before anything starts: the provider's issuer goes into every app's settings, and
        // the web app's callback into the provider's client registration.
        var identityPort = LocalSidecar.Hosting.FreePort.Next();
        var webPort = LocalSidecar.Hosting.FreePort.Next();
        Authority = new Uri($"http://127.0.0.1:{identityPort}/");
        AppSpec[] services =
        [
            new AppSpec("web", "services/web", "Web.dll", Env: new()
            {
                ["SignIn__ClientId"] = "web",
                ["SignIn__ClientSecret"] = WebClientSecret,
                ["SignIn__ApiScope"] = "access_as_user",
            }, AppPort: webPort),
            new AppSpec("catalog", "services/catalog", "Catalog.dll", Env: new() { ["ConnectionStrings__catalog"] = "Data Source={data}/catalog.db" }),
            new AppSpec("reservation", "services/reservation", "Reservation.dll", Env: reservation),
            .. WithOrdering ? OrderingApps : [],
        ];
        foreach (var (key, value) in WebSettings)
            services[0].Env![key] = value;
        foreach (var service in services)
        {
            service.Env!["Auth__Authority"] = Authority.ToString();
            service.Env["Auth__Audience"] = "api://daprreservations";
        }

        System = await DaprSystem.StartAsync(new DaprSystemOptions
        {
            Backend = SidecarBackend.Redis,
            Apps =
            [
                new AppSpec("identity", "tools/DevIdentity", "DevIdentity.dll", Env: new()
                {
                    ["Identity__WebClient__ClientSecret"] = WebClientSecret,
                    ["Identity__WebClient__BaseUrls__0"] = $"http://127.0.0.1:{webPort}",
                    ["Identity__AccessTokenLifetime"] = AccessTokenLifetime.ToString(),
                }, AppPort: identityPort),
                .. services,
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

    /// <summary>
    /// A fresh browser profile (its own cookies, so its own session), at phone width unless told otherwise, signed in
    /// as <paramref name="user"/> through the provider's login page unless <paramref name="signIn"/> is false.
    /// </summary>
    public async Task<Shopper> OpenAsync(string user, string locale = "en-US", bool phone = true, bool signIn = true)
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
        if (signIn)
            await shopper.SignInAsync();
        else
            await page.GotoAsync("/");
        return shopper;
    }

    /// <summary>An access token from the provider's scripted grant, as a test or a tool gets one (no browser).</summary>
    public Task<string> TokenAsync(string user) => DevIdentityGrant.TokenAsync(Authority, user);

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

/// <summary>
/// A system whose holds expire after three seconds, for the expiry scenario, and whose access tokens live fifteen
/// seconds, refreshed by the web app five seconds before they run out, for the silent refresh scenario.
/// </summary>
public sealed class ShortHoldSystem : WebSystem
{
    public static readonly TimeSpan HoldTtl = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(15);

    protected override IReadOnlyDictionary<string, string> ReservationSettings =>
        new Dictionary<string, string> { ["Reservation__HoldTtl"] = HoldTtl.ToString() };

    protected override TimeSpan AccessTokenLifetime => TokenLifetime;

    protected override IReadOnlyDictionary<string, string> WebSettings =>
        new Dictionary<string, string> { ["SignIn__RefreshBefore"] = "00:00:05" };

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
