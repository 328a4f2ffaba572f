using System.Text.RegularExpressions;
using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed partial class AuditLogJourneyTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string ViewerZone = "Asia/Tokyo";

    [BrowserFact]
    public async Task Owner_finds_their_sign_in_and_new_key_filters_by_action_and_exports_those_entries()
    {
        // A viewer far from UTC, so a time shown in UTC by mistake would not pass for theirs.
        await using var context = await server.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            TimezoneId = ViewerZone,
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        await SignInAsync(page, "owner@example.com");
        await CreateKeyAsync(page, "audit-journey-key");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Exact = true }).WaitForAsync();
        var signIn = Row(page, "Signed in");
        await Assertions.Expect(signIn).ToContainTextAsync("owner@example.com");
        await Assertions.Expect(signIn).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(Row(page, "audit-journey-key")).ToContainTextAsync("Key created");
        await Assertions.Expect(page.GetByText($"Times are in your time zone, {ViewerZone}.")).ToBeVisibleAsync();
        var time = signIn.Locator("time");
        var utc = DateTimeOffset.Parse((await time.GetAttributeAsync("datetime"))!);
        var tokyo = TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.FindSystemTimeZoneById(ViewerZone));
        await Assertions.Expect(time).ToHaveTextAsync(tokyo.ToString("yyyy-MM-dd HH:mm:ss"));
        await Assertions.Expect(time).ToHaveAttributeAsync("title", utc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"));
        await DashboardServer.ScreenshotAsync(page, "audit-log-owner");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the audit log page"));

        await page.Locator(".mud-input-control.mud-select", new() { HasText = "Action" }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Key created" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = "Signed in" })).ToHaveCountAsync(0);
        await Assertions.Expect(Row(page, "audit-journey-key")).ToBeVisibleAsync();
        var actions = await page.Locator(".mud-table-body tr:has(time) td:nth-child(3)").AllInnerTextsAsync();
        Assert.NotEmpty(actions);
        Assert.All(actions, action => Assert.Equal("Key created", action.Trim()));
        await DashboardServer.ScreenshotAsync(page, "audit-log-filtered-by-action");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());

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
        var page = await server.SignInAsync("member@example.com");
        await using var _ = page.Context;

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
        await page.GotoAsync("/audit");

        await Assertions.Expect(page.GetByText("Only owners and admins can see the audit log.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("table")).ToHaveCountAsync(0);
        await DashboardServer.ScreenshotAsync(page, "audit-log-member");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the audit log page as a member"));
        var export = await page.APIRequest.GetAsync("/audit/export.csv");
        Assert.Equal(403, export.Status);
    }

    private static ILocator Row(IPage page, string text) => page.Locator(".mud-table-body tr", new() { HasText = text }).First;

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DashboardServer.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true }).WaitForAsync();
        await page.Locator("code.key-prefix").First.WaitForAsync();
    }

    private static async Task CreateKeyAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var create = page.GetByRole(AriaRole.Dialog);
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await create.GetByLabel("Read keys").CheckAsync();
        await create.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var reveal = page.GetByRole(AriaRole.Dialog, new() { Name = "API key created" });
        await reveal.GetByLabel("I have stored this key securely").CheckAsync();
        await reveal.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await reveal.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    [GeneratedRegex(@"^audit-log-\d{4}-\d{2}-\d{2}\.csv$")]
    private static partial Regex ExportFileName();
}
