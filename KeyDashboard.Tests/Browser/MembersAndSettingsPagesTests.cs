using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>The members and settings pages for each role, with axe-core finding no serious violations; saves their screenshots.</summary>
public sealed class MembersAndSettingsPagesTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task An_owner_sees_every_action_and_the_settings()
    {
        var page = await Server.SignInAsync("owner@example.com");
        await DashboardPage.NavigateAsync(page, "Members");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove admin@example.com" })).ToBeEnabledAsync();
        var reports = new List<string?> { await Axe.SeriousViolationsAsync(page, "the members page as an owner") };

        await page.GetByRole(AriaRole.Button, new() { Name = "Invite member" }).ClickAsync();
        var invite = page.GetByRole(AriaRole.Dialog, new() { Name = "Invite member" });
        await Assertions.Expect(invite.GetByLabel("E-mail")).ToBeVisibleAsync();
        reports.Add(await Axe.SeriousViolationsAsync(invite, "the Invite member dialog"));
        await invite.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove member@example.com" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Remove member" });
        await Assertions.Expect(confirm).ToContainTextAsync("their API keys stop working");
        await DashboardPage.ScreenshotAsync(page, "remove-member-confirmation");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await DashboardPage.NavigateAsync(page, "Settings");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Key policy" })).ToBeVisibleAsync();
        reports.Add(await Axe.SeriousViolationsAsync(page, "the settings page"));
        Axe.AssertNone([.. reports]);
    }

    [BrowserFact]
    public async Task An_admin_removes_members_only_and_is_told_settings_are_for_owners()
    {
        var page = await Server.SignInAsync("admin@example.com");
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).CountAsync());
        await DashboardPage.NavigateAsync(page, "Members");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove member@example.com" })).ToBeEnabledAsync();
        var removeOwner = page.GetByRole(AriaRole.Button, new() { Name = "Remove owner@example.com" });
        await Assertions.Expect(removeOwner).ToBeDisabledAsync();
        await page.Locator(".mud-tooltip-root", new() { Has = removeOwner }).HoverAsync();
        await Assertions.Expect(page.Locator(".mud-tooltip", new() { HasText = Permissions.AdminRemoveRefusal })).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(page, "members-page-admin");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the members page as an admin"));

        await page.GotoAsync("/settings");
        await Assertions.Expect(page.GetByText(Permissions.Refusal(Permission.ManageWorkspace))).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(page, "settings-page-admin");
    }

    [BrowserFact]
    public async Task A_member_sees_the_list_read_only()
    {
        var page = await Server.SignInAsync("member@example.com");
        await DashboardPage.NavigateAsync(page, "Members");

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Invite member" })).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove admin@example.com" })).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Leave workspace" })).ToBeEnabledAsync();
        await DashboardPage.ScreenshotAsync(page, "members-page-member");
    }
}
