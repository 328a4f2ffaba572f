using KeyDashboard.Components.Shared;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// Served over plain HTTP from a host name other than localhost (a LAN name), the page is no secure context and has
/// no Clipboard API: copying the one-time secret must still work, or say how, and never end the reveal.
/// </summary>
public sealed class CopyOutsideSecureContextTests(DashboardServer server) : BrowserTest(server)
{
    private const string HostName = "keys.intranet.test";

    [BrowserFact]
    public async Task Copy_on_a_plain_HTTP_intranet_name_keeps_the_reveal_and_its_Done_working()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", $"--host-resolver-rules=MAP {HostName} 127.0.0.1"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = $"http://{HostName}:{Server.BaseAddress.Port}" });
        await DashboardPage.LogInAsync(page, "owner@example.com");
        Assert.False(await page.EvaluateAsync<bool>("window.isSecureContext"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var create = page.GetByRole(AriaRole.Dialog);
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("intranet-key");
        await create.GetByLabel("Read keys").CheckAsync();
        await create.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var reveal = page.GetByRole(AriaRole.Dialog, new() { Name = "API key created" });
        var secret = (await reveal.Locator("code").First.InnerTextAsync()).Trim();

        await reveal.GetByRole(AriaRole.Button, new() { Name = "Copy API key" }).ClickAsync();

        // Headless Chromium copies the selection (the snackbar says so), or leaves it selected with the hint: either way
        // the secret is selected or copied, and the circuit lives on.
        await Assertions.Expect(page.GetByText("API key copied to the clipboard").Or(reveal.GetByText(CopyableValue.SelectedHint))).ToBeVisibleAsync();
        Assert.Equal(secret, (await page.EvaluateAsync<string>("window.getSelection().toString()")).Trim());
        await DashboardPage.ScreenshotAsync(page, "reveal-copied-outside-secure-context");
        await Assertions.Expect(page.GetByText("An unhandled error has occurred")).ToBeHiddenAsync();
        await reveal.GetByLabel("I have stored this key securely").CheckAsync();
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(reveal).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = "intranet-key" })).ToContainTextAsync(secret[..12] + "…");
    }
}
