using Microsoft.Playwright;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// The app on a real Kestrel port on 127.0.0.1, with the demo data, plus a headless Debian Chromium driven by
/// Playwright. Shared by the browser tests of one class (an xunit class fixture).
/// </summary>
public sealed class DashboardServer : IAsyncLifetime
{
    public const string DemoPassword = "Demo-password-1";
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly KeyDashboardFactory _factory = new() { SeedDemoData = true, OnKestrel = true };
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _factory.Services;

    public async Task InitializeAsync()
    {
        BaseAddress = _factory.BaseAddress;
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            // This machine's network is closed: Chromium's background services would only fail and retry.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser context (own cookies) with the clipboard usable, signed in as <paramref name="email"/>.</summary>
    public async Task<IPage> SignInAsync(string email)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true }).WaitForAsync();
        // The grid loads its rows over the interactive circuit: once a key prefix shows, buttons respond.
        await page.Locator("code.key-prefix").First.WaitForAsync();
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await WaitForAnimationsAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });
    }

    /// <summary>
    /// Waits until the page's finite CSS animations and transitions (a dialog opening: it scales and fades in) have
    /// finished, so screenshots and contrast checks see the final state. Endless ones (progress bars) are ignored.
    /// </summary>
    public static Task WaitForAnimationsAsync(IPage page) =>
        page.EvaluateAsync("""
            () => Promise.all(document.getAnimations()
                .filter(a => a.effect?.getComputedTiming().endTime !== Infinity)
                .map(a => a.finished.catch(() => null)))
            """);

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await _factory.DisposeAsync();
    }
}
