using KeyDashboard.Tests.TestSupport;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed class SessionsJourneyTests(DashboardServer server) : BrowserTest(server)
{
    private const string SafariOnIPhone =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    [BrowserFact]
    public async Task Owner_ends_a_session_then_all_others_from_the_sessions_page_and_those_browsers_are_signed_out()
    {
        var phone = await (await Server.NewContextAsync(new() { UserAgent = SafariOnIPhone })).NewPageAsync();
        await DashboardPage.LogInAsync(phone, "owner@example.com");
        var tablet = await (await Server.NewContextAsync()).NewPageAsync();
        await DashboardPage.LogInAsync(tablet, "owner@example.com");
        var page = await (await Server.NewContextAsync()).NewPageAsync();
        await DashboardPage.LogInAsync(page, "owner@example.com");

        await page.GotoAsync("/Account/Manage/Sessions");
        var thisRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "This session" });
        await Assertions.Expect(thisRow).ToContainTextAsync("Chrome on Linux");
        await Assertions.Expect(thisRow.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "End session: Safari on iOS" }).ClickAsync();

        await Assertions.Expect(page.GetByText("The session was ended.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Safari on iOS")).ToHaveCountAsync(0);
        await phone.ReloadAsync();
        await Assertions.Expect(phone).ToHaveURLAsync(new Regex("/Account/Login"));
        await tablet.ReloadAsync();
        await DashboardPage.WaitForKeysAsync(tablet);

        await page.GetByRole(AriaRole.Button, new() { Name = "End all other sessions" }).ClickAsync();

        await Assertions.Expect(page.GetByText("All other sessions were ended.")).ToBeVisibleAsync();
        await tablet.ReloadAsync();
        await Assertions.Expect(tablet).ToHaveURLAsync(new Regex("/Account/Login"));
        await page.GotoAsync("/");
        await DashboardPage.WaitForKeysAsync(page);
    }
}
