using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>The create dialog and the one-time reveal work with the keyboard alone; the reveal cannot be dismissed by accident.</summary>
public sealed class KeyboardTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task A_key_is_created_with_the_keyboard_only_and_the_reveal_ignores_Escape_and_backdrop_clicks()
    {
        var page = await Server.SignInAsync("owner@example.com");

        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }));
        await page.Keyboard.PressAsync("Enter");
        var create = page.GetByRole(AriaRole.Dialog, new() { Name = "Create API key" });
        var name = create.GetByLabel("Name", new() { Exact = true });
        await Assertions.Expect(name).ToBeVisibleAsync();

        await TabToAsync(page, name);
        await page.Keyboard.TypeAsync("keyboard-only-key");
        await TabToAsync(page, create.GetByLabel("Description", new() { Exact = true }));
        await page.Keyboard.TypeAsync("Created without a mouse");
        var readKeys = create.GetByLabel("Read keys");
        await TabToAsync(page, readKeys);
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(readKeys).ToBeCheckedAsync();
        await TabToAsync(page, create.GetByRole(AriaRole.Button, new() { Name = "Create API key" }));
        await page.Keyboard.PressAsync("Enter");

        var reveal = page.GetByRole(AriaRole.Dialog, new() { Name = "API key created" });
        var secret = (await reveal.Locator("code").First.InnerTextAsync()).Trim();
        Assert.StartsWith("kd_test_", secret);

        // Escape (with the focus inside the dialog) and a click on the backdrop are both ignored...
        var stored = reveal.GetByLabel("I have stored this key securely");
        await TabToAsync(page, stored);
        await page.Keyboard.PressAsync("Escape");
        await page.Mouse.ClickAsync(10, page.ViewportSize!.Height - 10);
        // ...which the dialog's next answer proves: the circuit handles events in order, so it saw both first.
        await TabToAsync(page, stored);
        await page.Keyboard.PressAsync("Space");
        var done = reveal.GetByRole(AriaRole.Button, new() { Name = "Done" });
        await Assertions.Expect(done).ToBeEnabledAsync();
        await Assertions.Expect(reveal).ToBeVisibleAsync();
        await Assertions.Expect(reveal.Locator("code").First).ToHaveTextAsync(secret);

        await TabToAsync(page, done);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(reveal).ToBeHiddenAsync();
        var row = page.Locator(".mud-table-body tr", new() { HasText = "keyboard-only-key" });
        await Assertions.Expect(row).ToContainTextAsync(secret[..12] + "…");
        await Assertions.Expect(row).ToContainTextAsync("Created without a mouse");
    }

    [BrowserFact]
    public async Task A_form_opens_with_the_focus_in_its_first_field_and_Escape_closes_it_at_once_until_something_is_typed()
    {
        var page = await Server.SignInAsync("owner@example.com");
        var open = page.GetByRole(AriaRole.Button, new() { Name = "Create API key" });
        var create = page.GetByRole(AriaRole.Dialog, new() { Name = "Create API key" });
        var name = create.GetByLabel("Name", new() { Exact = true });

        await open.ClickAsync();
        await Assertions.Expect(name).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(create).ToBeHiddenAsync();

        await open.ClickAsync();
        await Assertions.Expect(name).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("half-typed");
        await page.Keyboard.PressAsync("Escape");
        var discard = page.GetByRole(AriaRole.Dialog, new() { Name = "Discard what you entered?" });
        await discard.GetByRole(AriaRole.Button, new() { Name = "Keep editing" }).ClickAsync();
        await Assertions.Expect(discard).ToBeHiddenAsync();
        // The question hands the focus back to where it was, so Escape works again.
        await Assertions.Expect(name).ToBeFocusedAsync();
        await Assertions.Expect(name).ToHaveValueAsync("half-typed");
        // A click on the title moves the focus out of the field: Escape still asks.
        await create.GetByRole(AriaRole.Heading, new() { Name = "Create API key" }).ClickAsync();
        await Assertions.Expect(name).Not.ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await discard.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
        await Assertions.Expect(create).ToBeHiddenAsync();
    }

    /// <summary>
    /// Presses Tab until <paramref name="target"/> has the focus: proof that it is reachable by keyboard. The scope
    /// grid alone has some 45 checkboxes, hence the generous limit.
    /// </summary>
    private static async Task TabToAsync(IPage page, ILocator target, int maxPresses = 100)
    {
        await target.WaitForAsync();
        for (var i = 0; i < maxPresses; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return;
            await page.Keyboard.PressAsync("Tab");
        }
        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing'");
        Assert.Fail($"{target} was not reached with {maxPresses} presses of Tab; the focus is on {focused}");
    }
}
