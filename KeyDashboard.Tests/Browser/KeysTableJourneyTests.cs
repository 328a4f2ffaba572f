using System.Text.RegularExpressions;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// The keys table as people use it: every column in view on a 1280 px laptop, on either plan and with a filter on; its
/// view in the address, for a reload or a shared link; columns of one's own choosing; and every page on a phone and a
/// tablet with nothing cut off or on top of anything else.
/// </summary>
public sealed partial class KeysTableJourneyTests(DashboardServer server) : BrowserTest(server)
{
    private static readonly string[] Columns = ["Name", "Prefix", "Owner", "Usage", "Last used", "Expires", "Status", "Actions"];

    [BrowserFact]
    public async Task At_1280_every_column_is_in_view_on_either_plan_and_with_the_expiring_soon_filter()
    {
        var page = await Server.SignInAsync("owner@example.com");
        await page.SetViewportSizeAsync(1280, 800);
        await page.ReloadAsync();
        await DashboardPage.WaitForKeysAsync(page);

        await AssertEveryColumnInViewAsync(page, "on the Paid plan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show them" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("status=expiring-soon"));
        await Assertions.Expect(page.Locator(".keys-grid tbody").GetByText("Expiring soon", new() { Exact = true }).First).ToBeVisibleAsync();
        await AssertEveryColumnInViewAsync(page, "with the Expiring soon filter");

        await using (var db = await Server.DbFactory.CreateDbContextAsync())
            await db.Workspaces.Where(w => w.Name == "Demo").ExecuteUpdateAsync(w => w.SetProperty(x => x.Plan, WorkspacePlan.Free));
        await page.GotoAsync("/");
        await DashboardPage.WaitForKeysAsync(page);
        await Assertions.Expect(page.GetByText("Upgrade required").First).ToBeVisibleAsync();
        await AssertEveryColumnInViewAsync(page, "on the Free plan");
        await DashboardPage.ScreenshotAsync(page, "keys-page-1280");
    }

    [BrowserFact]
    public async Task Search_sort_and_page_size_live_in_the_address_and_survive_a_reload()
    {
        var page = await Server.SignInAsync("owner@example.com");
        var table = page.Locator(".keys-grid");

        await page.GetByLabel("Search").FillAsync("admin@example");
        await page.GetByLabel("Search").BlurAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?q=admin%40example$"));
        await table.GetByRole(AriaRole.Columnheader, new() { Name = "Usage" }).GetByText("Usage").ClickAsync();
        // Counts sort largest first on the first click.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=usage"));
        var usages = await UsagesAsync(page);
        Assert.True(usages.Count > 2, string.Join(", ", usages));
        Assert.Equal(usages.OrderDescending(), usages);
        Assert.DoesNotMatch("dir=", page.Url);

        await page.ReloadAsync();
        await DashboardPage.WaitForKeysAsync(page);

        await Assertions.Expect(page.GetByLabel("Search")).ToHaveValueAsync("admin@example");
        Assert.Equal(usages, await UsagesAsync(page));
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Usage" }).Locator(".mud-direction-desc")).ToBeAttachedAsync();
    }

    [BrowserFact]
    public async Task A_person_hides_a_column_and_it_stays_hidden_on_their_next_visit()
    {
        var page = await Server.SignInAsync("owner@example.com");
        var table = page.Locator(".keys-grid");
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Prefix" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Columns: choose which to show" }).ClickAsync();
        var prefix = page.GetByRole(AriaRole.Menuitemcheckbox, new() { Name = "Prefix" });
        await Assertions.Expect(prefix).ToHaveAttributeAsync("aria-checked", "true");
        await prefix.ClickAsync();
        await Assertions.Expect(prefix).ToHaveAttributeAsync("aria-checked", "false");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Prefix" })).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Owner" })).ToBeVisibleAsync();
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Prefix" })).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Every_page_fits_a_phone_and_a_tablet_and_dialogs_fill_a_phone()
    {
        var checkedPages = new List<(string, IReadOnlyList<string>)>();
        var page = await Server.SignInAsync("owner@example.com");
        var key = await Server.KeyRowAsync("prod-main-app");
        foreach (var (width, height) in new[] { (390, 844), (1024, 768) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var (path, heading) in new[] { ("/", "API keys"), ($"/keys/{key.Id}", "prod-main-app"), ("/keys/lookup", "Find a leaked key"),
                         ("/members", "Members"), ("/audit", "Audit log"), ("/settings", "Settings") })
            {
                await page.GotoAsync(path);
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await DashboardPage.WaitForAnimationsAsync(page);
                checkedPages.Add(($"{path} at {width} px", await Layout.ProblemsAsync(page)));
                await DashboardPage.ScreenshotAsync(page, $"layout{path.Replace('/', '-')}-{width}");
            }
        }
        Layout.AssertFits(checkedPages);

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/");
        await DashboardPage.WaitForKeysAsync(page);
        await Assertions.Expect(page.Locator(".key-card").First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByLabel("Delete keys")).ToBeInViewportAsync();
        await DashboardPage.WaitForAnimationsAsync(page);
        var box = (await dialog.BoundingBoxAsync())!;
        Assert.Equal((0, 0, 390, 844), ((int)box.X, (int)box.Y, (int)box.Width, (int)box.Height));
        Layout.AssertFits([("the create dialog at 390 px", await Layout.ProblemsAsync(page, ".mud-dialog"))]);
    }

    private static async Task AssertEveryColumnInViewAsync(IPage page, string when)
    {
        var table = page.Locator(".keys-grid");
        foreach (var column in Columns)
            // A sortable header's name ends with its sort button's.
            await Assertions.Expect(table.GetByRole(AriaRole.Columnheader, new() { NameRegex = new Regex($"^{column}( Sort)?$") }))
                .ToBeInViewportAsync(new() { Ratio = 1 });
        var widths = await page.EvaluateAsync<int[]>(
            "() => { const t = document.querySelector('.keys-grid table'); return [t.scrollWidth, t.parentElement.clientWidth]; }");
        var (tableWidth, shownWidth) = (widths[0], widths[1]);
        Assert.True(tableWidth <= shownWidth, $"{when} the table is {tableWidth} px wide in {shownWidth} px");
    }

    private static async Task<List<long>> UsagesAsync(IPage page)
    {
        var header = await page.Locator(".keys-grid thead th").AllInnerTextsAsync();
        var column = header.ToList().FindIndex(h => h.Trim() == "Usage") + 1;
        var cells = await page.Locator($".keys-grid tbody tr td:nth-child({column})").AllInnerTextsAsync();
        return [.. cells.Select(c => long.Parse(c.Replace(",", "")))];
    }
}
