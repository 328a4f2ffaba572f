using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>The workspace's two-factor requirement as people meet it: the settings switch, and the keys page that says why its actions are off.</summary>
public sealed class TwoFactorRequirementJourneyTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task An_admin_without_two_factor_sees_why_the_actions_are_off_and_follows_the_link_to_turn_it_on()
    {
        await RequireTwoFactorAsync();
        var page = await Server.SignInAsync("admin@example.com");

        var notice = page.GetByLabel("Two-factor authentication required");
        await Assertions.Expect(notice).ToContainTextAsync("Turn on two-factor authentication to manage keys");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create API key" })).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke crm-integration" })).ToBeDisabledAsync();
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the keys page of an admin without two-factor authentication"));
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
            await ScreenshotAsync(page, width, height, $"keys-page-two-factor-required-{width}", DashboardPage.WaitForKeysAsync);

        await notice.GetByRole(AriaRole.Link, new() { Name = "Set up two-factor authentication" }).ClickAsync();

        await page.WaitForURLAsync("**/Account/Manage/TwoFactorAuthentication");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication (2FA)" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task An_owner_without_two_factor_is_told_to_turn_it_on_before_requiring_it()
    {
        var page = await Server.SignInAsync("owner@example.com");
        await DashboardPage.NavigateAsync(page, "Settings");
        var requirement = page.GetByRole(AriaRole.Switch, new() { Name = "Require two-factor authentication for owners and admins" })
            .Or(page.GetByLabel("Require two-factor authentication for owners and admins"));
        await Assertions.Expect(requirement).ToBeVisibleAsync();
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
            await ScreenshotAsync(page, width, height, $"settings-page-two-factor-{width}",
                tab => tab.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication" }).WaitForAsync());

        await requirement.ClickAsync();

        await Assertions.Expect(page.GetByText(Permissions.RequireTwoFactorWithoutItRefusal)).ToBeVisibleAsync();
        await Assertions.Expect(requirement).Not.ToBeCheckedAsync();
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the settings page with the two-factor refusal"));
        await DashboardPage.ScreenshotAsync(page, "settings-page-two-factor-refused");
    }

    private async Task RequireTwoFactorAsync()
    {
        await using var db = await Server.DbFactory.CreateDbContextAsync();
        var demo = await db.Workspaces.SingleAsync(w => w.Name == "Demo");
        demo.RequireTwoFactorForManagers = true;
        await db.SaveChangesAsync();
        await Server.Services.AnnounceChangeAsync(demo.Id);
    }

    /// <summary>
    /// The page at another size in a tab of its own, once <paramref name="loaded"/>: resizing the page under test would
    /// re-lay it out from the server a moment later, under the next click.
    /// </summary>
    private static async Task ScreenshotAsync(IPage page, int width, int height, string name, Func<IPage, Task> loaded)
    {
        var tab = await page.Context.NewPageAsync();
        await tab.SetViewportSizeAsync(width, height);
        await tab.GotoAsync(page.Url);
        await loaded(tab);
        await DashboardPage.ScreenshotAsync(tab, name);
        await tab.CloseAsync();
    }
}
