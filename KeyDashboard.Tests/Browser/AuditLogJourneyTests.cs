using System.Text.RegularExpressions;
using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed partial class AuditLogJourneyTests(DashboardServer server) : BrowserTest(server)
{
    private const string ViewerZone = "Asia/Tokyo";

    [BrowserFact]
    public async Task Owner_finds_their_sign_in_and_new_key_filters_by_action_and_exports_those_entries()
    {
        // A viewer far from UTC, so a time shown in UTC by mistake would not pass for theirs.
        var context = await Server.NewContextAsync(new BrowserNewContextOptions { TimezoneId = ViewerZone, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await DashboardPage.LogInAsync(page, "owner@example.com");
        await DashboardPage.CreateKeyAsync(page, "audit-journey-key");

        await DashboardPage.NavigateAsync(page, "Audit log");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Exact = true }).WaitForAsync();
        var signIn = Row(page, "Signed in");
        await Assertions.Expect(signIn).ToContainTextAsync("owner@example.com");
        await Assertions.Expect(signIn).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(Row(page, "audit-journey-key")).ToContainTextAsync("Key created");
        await Assertions.Expect(page.GetByText($"Times are in your time zone, {ViewerZone}.")).ToBeVisibleAsync();
        var time = signIn.Locator("time");
        var utc = DateTimeOffset.Parse((await time.GetAttributeAsync("datetime"))!);
        var tokyo = TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.FindSystemTimeZoneById(ViewerZone));
        await Assertions.Expect(time).ToHaveTextAsync(tokyo.ToString("MMM d, yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(time).ToHaveAttributeAsync("title", utc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"));
        await DashboardPage.ScreenshotAsync(page, "audit-log-owner");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the audit log page"));

        await page.Locator(".mud-input-control.mud-select", new() { HasText = "Action" }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Key created" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = "Signed in" })).ToHaveCountAsync(0);
        await Assertions.Expect(Row(page, "audit-journey-key")).ToBeVisibleAsync();
        var actions = await page.Locator(".mud-table-body tr:has(time) td:nth-child(3)").AllInnerTextsAsync();
        Assert.NotEmpty(actions);
        Assert.All(actions, action => Assert.Equal("Key created", action.Trim()));
        await DashboardPage.ScreenshotAsync(page, "audit-log-filtered-by-action");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());

        Assert.Matches(ExportFileName(), download.SuggestedFilename);
        var rows = Csv.Parse(await File.ReadAllTextAsync((await download.PathAsync())!));
        Assert.Equal(AuditCsv.Header, rows[0]);
        Assert.Equal(actions.Count, rows.Count - 1);
        Assert.All(rows.Skip(1), row => Assert.Equal(AuditActions.KeyCreated, row[4]));
        var created = Assert.Single(rows, row => row[6] == "audit-journey-key");
        Assert.Equal("owner@example.com", created[2]);
    }

    [BrowserFact]
    public async Task A_member_cannot_open_the_audit_log_or_export_it()
    {
        var page = await Server.SignInAsync("member@example.com");

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
        await page.GotoAsync("/audit");

        await Assertions.Expect(page.GetByText("Only owners and admins can see the audit log.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("table")).ToHaveCountAsync(0);
        await DashboardPage.ScreenshotAsync(page, "audit-log-member");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the audit log page as a member"));
        var export = await page.APIRequest.GetAsync("/audit/export.csv");
        Assert.Equal(403, export.Status);
    }

    private static ILocator Row(IPage page, string text) => page.Locator(".mud-table-body tr", new() { HasText = text }).First;

    [GeneratedRegex(@"^audit-log-\d{4}-\d{2}-\d{2}\.csv$")]
    private static partial Regex ExportFileName();
}
