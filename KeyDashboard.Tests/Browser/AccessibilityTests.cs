using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// axe-core finds no serious or critical violations on the keys page (as an owner and as a member), on the login
/// page and the other account pages, and in each dialog of the keys page. Saves the screenshots the journeys do not take.
/// </summary>
public sealed class AccessibilityTests(DashboardServer server) : BrowserTest(server)
{
    // A live key: its revoke dialog asks for the name to be typed, so that field is checked too.
    private const string Key = "crm-integration";

    [BrowserFact]
    public async Task The_login_page_has_no_serious_violations()
    {
        var page = await (await Server.NewContextAsync()).NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in", Exact = true })).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(page, "login-page");

        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the login page"));
    }

    /// <summary>The account pages share the login page's plain HTML theme: a visitor's forms and the manage pages.</summary>
    [BrowserFact]
    public async Task The_account_pages_have_no_serious_violations()
    {
        var reports = new List<string?>();
        var visitor = await (await Server.NewContextAsync()).NewPageAsync();
        foreach (var path in new[] { "/Account/Register", "/Account/ForgotPassword" })
        {
            await visitor.GotoAsync(path);
            reports.Add(await Axe.SeriousViolationsAsync(visitor, path));
        }

        var owner = await Server.SignInAsync("owner@example.com");
        foreach (var path in new[] { "/Account/Manage", "/Account/Manage/ChangePassword", "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/EnableAuthenticator" })
        {
            await owner.GotoAsync(path);
            await Assertions.Expect(owner.GetByRole(AriaRole.Link, new() { Name = "Back to dashboard" })).ToBeVisibleAsync();
            reports.Add(await Axe.SeriousViolationsAsync(owner, path));
        }

        Axe.AssertNone([.. reports]);
    }

    [BrowserFact]
    public async Task The_keys_page_as_a_member_has_no_serious_violations()
    {
        var page = await Server.SignInAsync("member@example.com");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {Key}" })).ToBeDisabledAsync();

        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the keys page as a member"));
    }

    /// <summary>One sign-in for the page and its six dialogs; every dialog is checked even when an earlier one fails.</summary>
    [BrowserFact]
    public Task The_keys_page_as_an_owner_and_each_of_its_dialogs_have_no_serious_violations() => KeysPageAndDialogsAsync(1440, 900);

    [BrowserFact]
    public Task On_a_phone_the_keys_page_and_each_of_its_dialogs_have_no_serious_violations() => KeysPageAndDialogsAsync(390, 844);

    /// <summary>Every page of the dashboard, on a laptop and on a phone, with the members page's dialogs open.</summary>
    [BrowserFact]
    public async Task Every_page_at_1440_and_390_has_no_serious_violations()
    {
        var page = await Server.SignInAsync("owner@example.com");
        var key = await Server.KeyRowAsync(Key);
        var reports = new List<string?>();
        foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var (path, heading) in new[] { ("/", "API keys"), ($"/keys/{key.Id}", Key), ("/keys/lookup", "Find a leaked key"),
                         ("/members", "Members"), ("/audit", "Audit log"), ("/settings", "Settings"), ("/no-such-page", "Page not found") })
            {
                await page.GotoAsync(path);
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                reports.Add(await Axe.SeriousViolationsAsync(page, $"{path} at {width} px"));
            }

            await page.GotoAsync("/members");
            var invite = page.GetByRole(AriaRole.Dialog, new() { Name = "Invite member" });
            await OpenAsync(page.GetByRole(AriaRole.Button, new() { Name = "Invite member" }), invite);
            await Assertions.Expect(invite.GetByLabel("E-mail")).ToBeVisibleAsync();
            reports.Add(await Axe.SeriousViolationsAsync(invite, $"the Invite member dialog at {width} px"));
            await CloseAsync(invite, "Cancel");
            await page.GetByRole(AriaRole.Button, new() { Name = "Change role of member@example.com" }).ClickAsync();
            var changeRole = page.GetByRole(AriaRole.Dialog, new() { Name = "Change role of member@example.com" });
            await Assertions.Expect(changeRole.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeVisibleAsync();
            reports.Add(await Axe.SeriousViolationsAsync(changeRole, $"the Change role dialog at {width} px"));
            await CloseAsync(changeRole, "Cancel");
        }

        Axe.AssertNone([.. reports]);
    }

    private async Task KeysPageAndDialogsAsync(int width, int height)
    {
        var page = await Server.SignInAsync("owner@example.com");
        await page.SetViewportSizeAsync(width, height);
        await page.ReloadAsync();
        await DashboardPage.WaitForKeysAsync(page);
        var reports = new List<string?> { await Axe.SeriousViolationsAsync(page, $"the keys page as an owner at {width} px") };

        // Create API key
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var create = page.GetByRole(AriaRole.Dialog, new() { Name = "Create API key" });
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("a11y-reveal-key");
        await create.GetByLabel("Read keys").CheckAsync();
        reports.Add(await Axe.SeriousViolationsAsync(create, "the Create API key dialog"));
        await create.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();

        // The one-time reveal
        var reveal = page.GetByRole(AriaRole.Dialog, new() { Name = "API key created" });
        await Assertions.Expect(reveal.GetByRole(AriaRole.Button, new() { Name = "Copy API key" })).ToBeVisibleAsync();
        reports.Add(await Axe.SeriousViolationsAsync(reveal, "the one-time reveal dialog"));
        await reveal.GetByLabel("I have stored this key securely").CheckAsync();
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(reveal).ToBeHiddenAsync();

        // View (credentials)
        await page.GetByRole(AriaRole.Button, new() { Name = $"View {Key}" }).ClickAsync();
        var view = page.GetByRole(AriaRole.Dialog, new() { Name = Key });
        await Assertions.Expect(view).ToContainTextAsync("curl -H");
        await DashboardPage.ScreenshotAsync(page, "view-dialog");
        reports.Add(await Axe.SeriousViolationsAsync(view, "the credentials (View) dialog"));
        await CloseAsync(view, "Close");

        // Edit
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {Key}" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit API key" });
        await Assertions.Expect(edit.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync(Key);
        await DashboardPage.ScreenshotAsync(page, "edit-dialog");
        reports.Add(await Axe.SeriousViolationsAsync(edit, "the Edit dialog"));
        await CloseAsync(edit, "Cancel");

        // Rotate
        await page.GetByRole(AriaRole.Button, new() { Name = $"Rotate {Key}" }).ClickAsync();
        var rotate = page.GetByRole(AriaRole.Dialog, new() { Name = $"Rotate {Key}" });
        await Assertions.Expect(rotate.GetByRole(AriaRole.Radio, new() { Name = "24 hours" })).ToBeCheckedAsync();
        await DashboardPage.ScreenshotAsync(page, "rotate-dialog");
        reports.Add(await Axe.SeriousViolationsAsync(rotate, "the Rotate dialog"));
        await CloseAsync(rotate, "Cancel");

        // Revoke
        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {Key}" }).ClickAsync();
        var revoke = page.GetByRole(AriaRole.Dialog, new() { Name = $"Revoke {Key}" });
        // The impact loads after the dialog opens: axe should see the finished dialog.
        await Assertions.Expect(revoke).ToContainTextAsync("Requests today and yesterday");
        await DashboardPage.ScreenshotAsync(page, "revoke-dialog");
        reports.Add(await Axe.SeriousViolationsAsync(revoke, "the Revoke dialog"));
        await CloseAsync(revoke, "Cancel");

        Axe.AssertNone([.. reports]);
    }

    // A page just loaded answers clicks once its circuit is up, which the page does not show: click until it opens.
    private static async Task OpenAsync(ILocator button, ILocator dialog)
    {
        for (var attempt = 0; attempt < 10 && !await dialog.IsVisibleAsync(); attempt++)
        {
            await button.ClickAsync();
            try { await dialog.WaitForAsync(new() { Timeout = 2_000 }); }
            catch (TimeoutException) { }
        }
    }

    private static async Task CloseAsync(ILocator dialog, string button)
    {
        await dialog.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
    }
}
