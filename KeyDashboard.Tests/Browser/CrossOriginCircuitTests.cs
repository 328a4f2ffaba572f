using System.Text.RegularExpressions;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// The attack of issue 11 as it was done: a signed-in owner visits a page on another port of the same host. The page
/// loads the dashboard's own scripts and starts a circuit against the dashboard's <c>/_blazor</c>, which the owner's
/// cookie would authenticate, to create a key and read its secret. The dashboard must refuse: no circuit, no key.
/// (Without the origin check this page renders the owner's keys page, creates a key and reads its one-time reveal.)
/// </summary>
public sealed partial class CrossOriginCircuitTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task A_page_of_another_origin_cannot_start_a_circuit_with_the_signed_in_users_cookie()
    {
        var victim = await Server.SignInAsync("owner@example.com");
        var keysBefore = await KeyCountAsync();
        await using var attacker = await AttackerSite.StartAsync(await AttackPageAsync());
        var attackPage = await victim.Context.NewPageAsync();
        var console = new List<string>();
        attackPage.Console += (_, message) => console.Add(message.Text);

        var circuitFailed = attackPage.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("Failed to start the circuit") });
        await attackPage.GotoAsync(attacker.BaseAddress.ToString());
        await circuitFailed;

        Assert.Contains(console, m => m.Contains("WebSocket handshake: Unexpected response code: 403"));
        Assert.Equal(0, await attackPage.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).CountAsync());
        Assert.Equal(keysBefore, await KeyCountAsync());
    }

    /// <summary>
    /// The attacker's server takes a page the dashboard renders for anyone (its "not found" page, which holds a
    /// circuit's component markers), points its scripts and styles at the dashboard, and starts Blazor with the
    /// circuit's connection aimed at the dashboard: straight to the WebSocket, no negotiate. The dashboard's own start
    /// (in the reconnect modal's module) is dropped, so only the attacker's runs.
    /// </summary>
    private async Task<string> AttackPageAsync()
    {
        var dashboard = Server.BaseAddress.ToString().TrimEnd('/');
        using var anonymous = new HttpClient { BaseAddress = Server.BaseAddress };
        var html = await (await anonymous.GetAsync("/no-such-page")).Content.ReadAsStringAsync();
        html = DashboardStart().Replace(html, "");
        html = AssetReference().Replace(html, m => $"{m.Groups["attribute"].Value}=\"{dashboard}/{m.Groups["path"].Value}\"");
        return BlazorScript().Replace(html, m => $$"""
            <script src="{{m.Groups["src"].Value}}" autostart="false"></script>
            <script>
              Blazor.start({
                circuit: {
                  configureSignalR: builder => builder.withUrl('{{dashboard}}/_blazor', { skipNegotiation: true, transport: 1 }),
                },
              });
            </script>
            """);
    }

    private async Task<int> KeyCountAsync()
    {
        await using var db = await Server.DbFactory.CreateDbContextAsync();
        return await db.ApiKeys.CountAsync();
    }

    [GeneratedRegex(@"(?<attribute>src|href)=""(?!http|/|#)(?<path>[^""]+)""")]
    private static partial Regex AssetReference();

    [GeneratedRegex("""<script src="(?<src>[^"]*_framework/blazor\.web[^"]*)"[^>]*></script>""")]
    private static partial Regex BlazorScript();

    [GeneratedRegex("""<script type="module" src="[^"]*ReconnectModal[^"]*"></script>""")]
    private static partial Regex DashboardStart();
}
