using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed class KeyPageAndLeakedKeyJourneyTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task Admin_pastes_a_log_line_with_a_leaked_key_sees_which_key_it_is_and_revokes_it_now()
    {
        var page = await Server.SignInAsync("admin@example.com");
        var leaked = await DashboardPage.CreateKeyAsync(page, "support-widget");

        await DashboardPage.NavigateAsync(page, "Find a leaked key");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Find a leaked key", Exact = true }).WaitForAsync();
        var field = page.GetByLabel("Text or key", new() { Exact = true });
        // A header line as a log prints it, not the bare key: the page finds the key inside.
        await field.FillAsync($"2025-06-01T10:00:00Z DEBUG request headers\nAuthorization: Bearer {leaked}\nAccept: application/json");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();

        var match = page.GetByLabel("Matching key support-widget", new() { Exact = true });
        await Assertions.Expect(page.GetByText("1 key of yours is in the text.")).ToBeVisibleAsync();
        await Assertions.Expect(match).ToContainTextAsync("This is the key support-widget");
        await Assertions.Expect(match).ToContainTextAsync("Demo");
        await Assertions.Expect(match).ToContainTextAsync("admin@example.com");
        await Assertions.Expect(field).ToHaveValueAsync("");
        Assert.DoesNotContain(leaked, await page.ContentAsync());
        Assert.DoesNotContain(leaked, page.Url);
        await DashboardPage.ScreenshotAsync(page, "leaked-key-lookup-match");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the leaked-key page with a match"));

        await match.GetByRole(AriaRole.Button, new() { Name = "Revoke now" }).ClickAsync();
        var revoke = page.GetByRole(AriaRole.Dialog, new() { Name = "Revoke support-widget" });
        await Assertions.Expect(revoke).ToContainTextAsync("This cannot be undone.");
        await revoke.GetByLabel("Reason").FillAsync("Pasted in a public issue");
        await revoke.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Assertions.Expect(revoke).ToBeHiddenAsync();
        await Assertions.Expect(match).ToContainTextAsync("This key is revoked");
        await Assertions.Expect(match.GetByRole(AriaRole.Button, new() { Name = "Revoke now" })).ToHaveCountAsync(0);

        var row = await Server.KeyRowAsync("support-widget");
        Assert.NotNull(row.RevokedAt);
        Assert.Equal("Pasted in a public issue", row.RevokedReason);

        // An unknown but well-formed key gets the one answer for anything that is not the user's key.
        await field.FillAsync(Server.Services.GetRequiredService<ApiKeyFormat>().Generate(KeyEnvironment.Live));
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        await Assertions.Expect(page.GetByText(LeakedKeyFinder.NoMatch)).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(page, "leaked-key-lookup-no-match");
    }

    [BrowserFact]
    public async Task Admin_opens_a_key_from_the_table_and_sees_its_usage_hand_off_and_history()
    {
        var page = await Server.SignInAsync("admin@example.com");

        await page.GetByRole(AriaRole.Link, new() { Name = "billing-webhooks" }).ClickAsync();

        await page.GetByRole(AriaRole.Heading, new() { Name = "billing-webhooks", Exact = true }).WaitForAsync();
        Assert.EndsWith($"/keys/{(await Server.KeyRowAsync("billing-webhooks")).Id}", page.Url);
        await Assertions.Expect(page.GetByLabel("Rotation hand-off")).ToContainTextAsync("Old secret last used 1 hour ago");
        await Assertions.Expect(page.Locator(".mud-chart svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Key history")).ToContainTextAsync("Key created");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Rotate billing-webhooks" })).ToBeEnabledAsync();
        await DashboardPage.ScreenshotAsync(page, "key-page-admin");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the key page as an admin"));
    }

    [BrowserFact]
    public async Task Admin_selects_keys_sees_the_impact_and_revokes_them_together()
    {
        var page = await Server.SignInAsync("admin@example.com");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the keys page with row selection"));

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select crm-integration" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select demo-console" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke selected" }).ClickAsync();

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Revoke 2 keys" });
        await Assertions.Expect(dialog).ToContainTextAsync("This cannot be undone.");
        await Assertions.Expect(dialog).ToContainTextAsync("1 live key among them: crm-integration");
        await Assertions.Expect(dialog.Locator("tbody tr")).ToHaveCountAsync(2);
        var revoke = dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke 2 keys" });
        await Assertions.Expect(revoke).ToBeDisabledAsync();
        await dialog.GetByLabel("Reason").FillAsync("Clean-up");
        await DashboardPage.ScreenshotAsync(page, "bulk-revoke-dialog");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(dialog, "the revoke-selected dialog"));
        await dialog.GetByLabel("I understand that 1 live key stops working now").CheckAsync();
        await revoke.ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        await Assertions.Expect(page.GetByText("2 keys revoked")).ToBeVisibleAsync();
        Assert.NotNull((await Server.KeyRowAsync("crm-integration")).RevokedAt);
        Assert.NotNull((await Server.KeyRowAsync("demo-console")).RevokedAt);
    }

}
