using System.Text.RegularExpressions;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed partial class MemberJourneyTests(DashboardServer server) : BrowserTest(server)
{
    private const string Refusal = "Only owners and admins can manage API keys";

    [BrowserFact]
    public async Task Member_sees_usage_and_last_used_dates_but_cannot_create_rotate_or_revoke()
    {
        var page = await Server.SignInAsync("member@example.com");
        await DashboardPage.ScreenshotAsync(page, "keys-page-member");

        // Usage count and last use, relative with the exact time on hover.
        foreach (var name in new[] { "prod-main-app", "billing-webhooks" })
        {
            var key = await Server.KeyRowAsync(name);
            var row = page.Locator(".mud-table-body tr", new() { HasText = name });
            await Assertions.Expect(row).ToContainTextAsync(key.UsageCount.ToString("N0"));
            var lastUsed = row.Locator($"time[datetime='{key.LastUsedAt!.Value.UtcDateTime:O}']");
            await Assertions.Expect(lastUsed).ToHaveTextAsync(RecentlyUsed());
            await Assertions.Expect(lastUsed).ToHaveAttributeAsync("title", key.LastUsedAt.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"));
        }

        // Create, edit, rotate and revoke are there, disabled, and say who can use them; View still works.
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create API key" });
        await Assertions.Expect(create).ToBeDisabledAsync();
        await AssertRefusalOnHoverAsync(page, create, screenshot: "keys-page-member-refusal-tooltip");
        foreach (var action in new[] { "Edit", "Rotate", "Revoke" })
        {
            var button = page.GetByRole(AriaRole.Button, new() { Name = $"{action} prod-main-app" });
            await Assertions.Expect(button).ToBeDisabledAsync();
            await AssertRefusalOnHoverAsync(page, button);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "View prod-main-app" }).ClickAsync();
        var view = page.GetByRole(AriaRole.Dialog, new() { Name = "prod-main-app" });
        await Assertions.Expect(view).ToContainTextAsync("The secret cannot be shown again");
    }

    private static async Task AssertRefusalOnHoverAsync(IPage page, ILocator disabledButton, string? screenshot = null)
    {
        // A disabled button takes no pointer events: the pointer lands on the tooltip's wrapper around it.
        await page.Locator(".mud-tooltip-root", new() { Has = disabledButton }).HoverAsync();
        var tooltip = page.Locator(".mud-tooltip", new() { HasText = Refusal });
        await Assertions.Expect(tooltip).ToBeVisibleAsync();
        if (screenshot is not null) await DashboardPage.ScreenshotAsync(page, screenshot);
        await page.Mouse.MoveAsync(0, 0);
        await Assertions.Expect(tooltip).ToBeHiddenAsync();
    }

    // The demo keys were last used between 5 minutes and 10 hours ago.
    [GeneratedRegex(@"^\d+ (minutes|hours?) ago$")]
    private static partial Regex RecentlyUsed();
}
