using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// An integrator opens a key's credentials and follows "API reference": the interactive reference renders from the
/// OpenAPI document under the dashboard's Content-Security-Policy, and fetches nothing from any other host.
/// </summary>
public sealed class ApiReferenceJourneyTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task The_credentials_dialog_links_to_an_interactive_reference_served_by_the_dashboard()
    {
        var page = await Server.SignInAsync("owner@example.com");
        var problems = new List<string>();
        page.Context.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.Context.Request += (_, request) =>
        {
            if (new Uri(request.Url).Host != Server.BaseAddress.Host) problems.Add($"Fetched {request.Url}");
        };
        await DashboardPage.WaitForKeysAsync(page);
        var firstKey = await page.Locator(".mud-table-body a").First.InnerTextAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"View {firstKey}" }).ClickAsync();
        var reference = await page.Context.RunAndWaitForPageAsync(() =>
            page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Link, new() { Name = "API reference" }).ClickAsync());

        // The reference renders the whole document in the browser: on a busy machine that takes a few seconds.
        await Assertions.Expect(reference.GetByRole(AriaRole.Heading, new() { Name = "KeyDashboard API", Exact = true }))
            .ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(reference.GetByText("Authorization: Bearer <key>").First).ToBeVisibleAsync();
        await Assertions.Expect(reference.GetByText("/api/v1/keys").First).ToBeAttachedAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
