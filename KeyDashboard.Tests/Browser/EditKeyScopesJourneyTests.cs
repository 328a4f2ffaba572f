using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed class EditKeyScopesJourneyTests(DashboardServer server) : BrowserTest(server)
{
    private const string Name = "scope-edit-journey";

    [BrowserFact]
    public async Task Admin_swaps_a_keys_scopes_and_the_api_applies_them_at_its_next_request()
    {
        var page = await Server.SignInAsync("admin@example.com");
        await page.SetViewportSizeAsync(1280, 800);
        var secret = await DashboardPage.CreateKeyAsync(page, Name);
        using var api = new HttpClient { BaseAddress = Server.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/keys")).StatusCode);

        await page.GetByRole(AriaRole.Link, new() { Name = Name, Exact = true }).ClickAsync();
        // The keys page has an Edit button for the key too: only the key's own page may be clicked on.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = Name, Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit {Name}" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit API key" });
        await edit.GetByLabel("Read keys").UncheckAsync();
        await edit.GetByLabel("Read usage").CheckAsync();

        // Escape on a changed form asks first; keeping on editing keeps the choice.
        await page.Keyboard.PressAsync("Escape");
        var discard = page.GetByRole(AriaRole.Dialog, new() { Name = "Discard what you entered?" });
        await Assertions.Expect(discard).ToContainTextAsync("Closing this dialog loses what you typed and chose in it.");
        await DashboardPage.ScreenshotAsync(page, "discard-question-1280");
        await discard.GetByRole(AriaRole.Button, new() { Name = "Keep editing" }).ClickAsync();
        await Assertions.Expect(discard).ToBeHiddenAsync();
        await Assertions.Expect(edit.GetByLabel("Read usage")).ToBeCheckedAsync();
        await Assertions.Expect(edit.GetByLabel("Read keys")).Not.ToBeCheckedAsync();

        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(edit).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByText($"Key updated: {Name}")).ToBeVisibleAsync();

        // The very next request already has the new scopes: no cache keeps the old power.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/keys")).StatusCode);
        var me = await api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(["usage:read"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var scopes = page.GetByLabel("Scopes", new() { Exact = true });
        await Assertions.Expect(scopes).ToContainTextAsync("usage:read");
        await Assertions.Expect(scopes).Not.ToContainTextAsync("keys:read");
        var edited = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Key edited" });
        await Assertions.Expect(edited).ToContainTextAsync("Scopes: keys:read → usage:read");
    }

    [BrowserFact]
    public async Task On_a_phone_the_discard_question_fills_the_screen_and_discarding_changes_nothing()
    {
        var page = await Server.SignInAsync("admin@example.com");
        await page.SetViewportSizeAsync(390, 844);
        // The table turns into cards once the circuit hears of the new width: a click meanwhile would hit a button being replaced.
        await Assertions.Expect(page.Locator(".key-card").First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit crm-integration" }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog, new() { Name = "Edit API key" });
        await edit.GetByLabel("Name", new() { Exact = true }).FillAsync("crm-integration-renamed");

        await page.Keyboard.PressAsync("Escape");
        var discard = page.GetByRole(AriaRole.Dialog, new() { Name = "Discard what you entered?" });
        await Assertions.Expect(discard).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(page, "discard-question-390");
        var box = await discard.BoundingBoxAsync();
        Assert.Equal((390, 844), ((int)Math.Round(box!.Width), (int)Math.Round(box.Height)));
        await discard.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();

        await Assertions.Expect(edit).ToBeHiddenAsync();
        Assert.Equal("crm-integration", (await Server.KeyRowAsync("crm-integration")).Name);
    }
}
