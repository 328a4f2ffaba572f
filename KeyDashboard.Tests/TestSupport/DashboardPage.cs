using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>What a person does on the dashboard in a browser, and waits for, shared by the browser tests.</summary>
public static class DashboardPage
{
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Logs in through the login form, as a person does, and waits for the keys page.</summary>
    public static async Task LogInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(KeyDashboard.Data.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await WaitForKeysAsync(page);
    }

    /// <summary>The keys page has loaded its rows over the interactive circuit: once a key prefix shows, buttons respond.</summary>
    public static async Task WaitForKeysAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true }).WaitForAsync();
        await page.Locator("code.key-prefix:visible").First.WaitForAsync();
    }

    /// <summary>Creates a key with the keys page's dialog, reading the keys scope only; returns the secret from the one-time reveal.</summary>
    public static async Task<string> CreateKeyAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var create = page.GetByRole(AriaRole.Dialog);
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await create.GetByLabel("Read keys").CheckAsync();
        await create.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var reveal = page.GetByRole(AriaRole.Dialog, new() { Name = "API key created" });
        var secret = (await reveal.Locator("code").First.InnerTextAsync()).Trim();
        await reveal.GetByLabel("I have stored this key securely").CheckAsync();
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(reveal).ToBeHiddenAsync();
        return secret;
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

    /// <summary>
    /// Follows a link of the navigation drawer, then rests the pointer on the page's content. The drawer widens
    /// while the pointer is over it, which narrows the page: left there, what a test sees would depend on how soon
    /// the drawer reacted (the audit log's grid, for one, then scrolls sideways).
    /// </summary>
    public static async Task NavigateAsync(IPage page, string link)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = link }).ClickAsync();
        await page.Mouse.MoveAsync(page.ViewportSize!.Width / 2, page.ViewportSize.Height - 10);
        await Assertions.Expect(page.Locator(".mud-drawer")).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await WaitForAnimationsAsync(page);
    }
}
