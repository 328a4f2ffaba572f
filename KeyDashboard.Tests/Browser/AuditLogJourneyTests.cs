using System.Globalization;
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
        await Assertions.Expect(time).ToHaveTextAsync(tokyo.ToString("MMM d, yyyy HH:mm", CultureInfo.InvariantCulture));
        await Assertions.Expect(time).ToHaveAttributeAsync("title", utc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"));
        await Assertions.Expect(Row(page, "audit-journey-key")).ToContainTextAsync("Owner: owner@example.com");
        await Assertions.Expect(Row(page, "audit-journey-key")).ToContainTextAsync("Scopes: keys:read");
        var shown = await page.Locator(".mud-table-body").InnerTextAsync();
        Assert.DoesNotMatch(Unreadable(), shown);
        await DashboardPage.ScreenshotAsync(page, "audit-log-owner");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(page, "the audit log page"));

        await page.GetByLabel("Hide sign-ins").CheckAsync();
        await Assertions.Expect(page.Locator(".mud-table-body tr", new() { HasText = "Signed in" })).ToHaveCountAsync(0);
        await Assertions.Expect(Row(page, "audit-journey-key")).ToBeVisibleAsync();
        await page.GetByLabel("Hide sign-ins").UncheckAsync();
        await Assertions.Expect(Row(page, "Signed in")).ToBeVisibleAsync();

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

    [BrowserFact]
    public async Task The_key_pages_usage_chart_fills_its_card_with_axis_labels_of_at_least_12_pixels_on_a_desktop_and_a_phone()
    {
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            var context = await Server.NewContextAsync(new BrowserNewContextOptions { TimezoneId = ViewerZone, ViewportSize = new() { Width = width, Height = height } });
            var page = await context.NewPageAsync();
            await DashboardPage.LogInAsync(page, "admin@example.com");
            await page.Locator("a[href*='keys/key_']").First.ClickAsync();
            var chart = page.Locator(".usage-chart svg");
            await Assertions.Expect(chart.Locator(".mud-charts-xaxis text").Last).ToBeVisibleAsync();
            await DashboardPage.WaitForAnimationsAsync(page);
            await Assertions.Expect(chart.Locator("path.mud-chart-bar")).ToHaveCountAsync(30);

            // The size a label is drawn at: its font size times the scale the SVG is shown at (rotation included).
            // Waited for: the chart redraws once it knows its card's size, and its labels are empty meanwhile.
            var drawn = await page.WaitForFunctionAsync("""
                () => {
                    const sizes = [...document.querySelectorAll('.usage-chart svg text')].filter(t => t.getBBox().width > 0).map(t => {
                        const m = t.getScreenCTM();
                        return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
                    });
                    return sizes.length > 0 ? sizes : null;
                }
                """);
            var sizes = await drawn.JsonValueAsync<double[]>();
            // MudBlazor rounds the drawing's width to whole pixels: a hundredth of a pixel less is still 12 px.
            Assert.All(sizes, size => Assert.True(Math.Round(size, 1) >= 12, $"An axis label is {size:0.00} px at {width} px."));
            var fill = await chart.EvaluateAsync<double[]>("""
                svg => {
                    const card = svg.closest('.mud-paper'), style = getComputedStyle(card);
                    const inner = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                    return [svg.getBoundingClientRect().width / inner, svg.getBoundingClientRect().height];
                }
                """);
            Assert.InRange(fill[0], 0.95, 1.01);
            Assert.True(fill[1] >= 260, $"The chart is {fill[1]} px high at {width} px.");
            await DashboardPage.ScreenshotAsync(page, $"key-page-usage-chart-{width}");
        }
    }

    private static ILocator Row(IPage page, string text) => page.Locator(".mud-table-body tr", new() { HasText = text }).First;

    /// <summary>JSON, a GUID, or a time with seven-digit fractions of a second.</summary>
    [GeneratedRegex(@"[{}""]|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-|\d{2}:\d{2}:\d{2}\.\d{7}")]
    private static partial Regex Unreadable();

    [GeneratedRegex(@"^audit-log-\d{4}-\d{2}-\d{2}\.csv$")]
    private static partial Regex ExportFileName();
}
