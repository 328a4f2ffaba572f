using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed class OwnerCreatesKeyJourneyTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task Owner_creates_a_key_copies_it_from_the_reveal_and_the_secret_is_gone_after_Done()
    {
        var page = await Server.SignInAsync("owner@example.com");
        await DashboardPage.ScreenshotAsync(page, "keys-page-owner");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var create = page.GetByRole(AriaRole.Dialog);
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("browser-journey-key");
        await create.GetByLabel("Read keys").CheckAsync();
        await DashboardPage.ScreenshotAsync(page, "create-dialog");
        await create.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();

        var reveal = page.GetByRole(AriaRole.Dialog, new() { Name = "API key created" });
        var secret = (await reveal.Locator("code").First.InnerTextAsync()).Trim();
        Assert.Matches("^kd_test_[0-9A-Za-z]{38}$", secret);
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Copy API key" }).ClickAsync();
        // The copy runs over the circuit after the click: the snackbar says when the clipboard has it.
        await Assertions.Expect(page.GetByText("API key copied to the clipboard")).ToBeVisibleAsync();
        Assert.Equal(secret, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await DashboardPage.ScreenshotAsync(page, "reveal-dialog");

        var done = reveal.GetByRole(AriaRole.Button, new() { Name = "Done" });
        Assert.True(await done.IsDisabledAsync());
        await reveal.GetByLabel("I have stored this key securely").CheckAsync();
        await done.ClickAsync();
        await reveal.WaitForAsync(new() { State = WaitForSelectorState.Detached });

        var row = page.Locator(".mud-table-body tr", new() { HasText = "browser-journey-key" });
        await Assertions.Expect(row).ToContainTextAsync(secret[..12] + "…");
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true }).WaitForAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());
    }
}
