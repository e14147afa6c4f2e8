using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Web.BrowserTests;

/// <summary>One person in one browser profile, with the moves a scenario needs; every wait is on what the page shows.</summary>
public sealed class Shopper(WebSystem system, IBrowserContext context, IPage page, string user) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>What went wrong in the page (script errors, error answers), for failure messages.</summary>
    public List<string> Log { get; } = [];

    public string User { get; } = user;

    public void StartWatching()
    {
        Page.PageError += (_, error) => { lock (Log) Log.Add($"page error: {error}"); };
        Page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                lock (Log) Log.Add($"{response.Request.Method} {response.Url} → {response.Status}");
        };
    }

    /// <summary>Signs in from the app's home page: the app's button, the provider's login page, back to the app.</summary>
    public async Task SignInAsync()
    {
        await Page.GotoAsync("/");
        await Page.GetByTestId("signin-button").ClickAsync();
        await LogInAtProviderAsync();
        await Expect(Page.GetByTestId("signed-in")).ToHaveAttributeAsync("data-user", User);
    }

    /// <summary>On the provider's login page: the demo user's button, or any name typed in.</summary>
    public async Task LogInAtProviderAsync()
    {
        await Expect(Page).ToHaveURLAsync(new Regex("^" + Regex.Escape(system.Authority.ToString()) + "account/login"));
        var demo = Page.GetByTestId($"login-{User}");
        if (await demo.CountAsync() > 0)
        {
            await demo.ClickAsync();
            return;
        }

        await Page.GetByTestId("login-name").FillAsync(User);
        await Page.GetByTestId("login-submit").ClickAsync();
    }

    public Task GoAsync(string hash) => Page.GotoAsync($"/{hash}");

    /// <summary>HTTP with this profile's cookies (its session), as the page's own fetch calls send them.</summary>
    public IAPIRequestContext Api => Page.Context.APIRequest;

    /// <summary>The antiforgery request token the web app hands this session (GET /bff/user), as the page gets it.</summary>
    public async Task<string> AntiforgeryTokenAsync() =>
        global::System.Text.Json.JsonDocument.Parse(await (await Api.GetAsync("/bff/user")).TextAsync())
            .RootElement.GetProperty("antiforgeryToken").GetString()!;

    /// <summary>A JSON POST with the session's cookie and, unless <paramref name="antiforgery"/> is null, X-CSRF-TOKEN.</summary>
    public Task<IAPIResponse> PostAsync(string path, object body, string? antiforgery) => Api.PostAsync(path, new APIRequestContextOptions
    {
        DataObject = body,
        Headers = antiforgery is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["X-CSRF-TOKEN"] = antiforgery },
    });

    public async Task OpenResourceAsync(string resourceId)
    {
        await GoAsync($"#/resources/{resourceId}");
        await Expect(Page.GetByTestId("cache-state")).ToBeVisibleAsync();
    }

    public ILocator Slot(string slotId) => Page.Locator($"[data-testid=slot][data-slot-id='{slotId}']");

    public ILocator Availability(string slotId) => Slot(slotId).GetByTestId("availability");

    /// <summary>Waits until the slot's live availability (polled by the page) shows <paramref name="available"/>.</summary>
    public Task ExpectAvailableAsync(string slotId, int available) =>
        Expect(Availability(slotId)).ToHaveAttributeAsync("data-available", available.ToString(CultureInfo.InvariantCulture));

    public async Task HoldAsync(string slotId, int quantity)
    {
        await Slot(slotId).GetByRole(AriaRole.Spinbutton).FillAsync(quantity.ToString(CultureInfo.InvariantCulture));
        await Slot(slotId).GetByTestId("hold-button").ClickAsync();
    }

    /// <summary>The hold id of the hold page the browser is on.</summary>
    public async Task<string> OnHoldPageAsync()
    {
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/holds/[\\w-]+$"));
        await Expect(Page.GetByTestId("countdown")).ToBeVisibleAsync();
        return Page.Url[(Page.Url.LastIndexOf('/') + 1)..];
    }

    public Task ShotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebSystem.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    /// <summary>Closes the profile; what went wrong in the page is kept beside the screenshots for a failed run.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (Log)
        {
            if (Log.Count > 0)
                File.AppendAllLines(Path.Combine(WebSystem.ScreenshotDirectory, "page-log.txt"), Log.Prepend($"-- {User} at {Page.Url}"));
        }
        await context.DisposeAsync();
    }

    public WebSystem System => system;
}
