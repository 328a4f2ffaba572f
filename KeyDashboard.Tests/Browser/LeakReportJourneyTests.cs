using System.Net;
using System.Net.Http.Json;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed class LeakReportJourneyTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task An_admin_with_the_dashboard_open_is_told_at_once_of_a_reported_key_opens_it_and_dismisses_the_notice()
    {
        var page = await Server.SignInAsync("admin@example.com");
        var secret = await DashboardPage.CreateKeyAsync(page, "public-gist-key");

        using var reporter = new HttpClient { BaseAddress = Server.BaseAddress };
        var report = await reporter.PostAsJsonAsync("/api/v1/leaks", new[] { secret });
        Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);

        var banner = page.Locator("[data-testid=leak-report-banner]");
        await Assertions.Expect(banner).ToContainTextAsync("1 key was reported as leaked and revoked");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the keys page with the leak report banner"));
        await ScreenshotAsync(page, 1280, 800, "leak-report-banner-1280");
        await ScreenshotAsync(page, 390, 844, "leak-report-banner-390");

        await banner.GetByRole(AriaRole.Link, new() { Name = "public-gist-key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "public-gist-key" })).ToBeVisibleAsync();
        var reason = page.Locator("tr", new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "Reason", Exact = true }) });
        await Assertions.Expect(reason).ToContainTextAsync(LeakReports.Reason);

        await banner.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "public-gist-key" })).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The same page at another size, in a tab of its own: resizing the page under test would re-lay it out from the
    /// server a moment later, under the next click.
    /// </summary>
    private static async Task ScreenshotAsync(IPage page, int width, int height, string name)
    {
        var tab = await page.Context.NewPageAsync();
        await tab.SetViewportSizeAsync(width, height);
        await tab.GotoAsync(page.Url);
        await Assertions.Expect(tab.Locator("[data-testid=leak-report-banner]")).ToContainTextAsync("reported as leaked");
        await DashboardPage.WaitForKeysAsync(tab);
        await DashboardPage.ScreenshotAsync(tab, name);
        await tab.CloseAsync();
    }
}
