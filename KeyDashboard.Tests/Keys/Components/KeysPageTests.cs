using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class KeysPageTests : ComponentTestContext
{
    private const string Refusal = "Only owners and admins can manage API keys.";
    private static readonly string[] ManageActions = ["Edit", "Rotate", "Revoke"];

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public async Task Owners_and_admins_can_create_and_manage_keys(string role)
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy", owner: Database.Member));
        this.SignInAs(Database, role == Roles.Owner ? Database.Owner : Database.Admin, role);

        var page = RenderPage();

        page.WaitForElement("button[aria-label='Rotate ci-deploy']");
        Assert.False(page.Button("Create API key").IsDisabled());
        foreach (var action in ManageActions)
            Assert.False(page.Find($"button[aria-label='{action} ci-deploy']").IsDisabled(), action);
        Assert.DoesNotContain(page.FindComponents<MudTooltip>(), t => t.Instance.Text == Refusal);
        Assert.DoesNotContain(Refusal, page.Markup);
    }

    [Fact]
    public async Task A_member_sees_every_management_action_disabled_with_the_reason()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        this.SignInAs(Database, Database.Member, Roles.Member);
        var popovers = Render<MudPopoverProvider>();

        var page = RenderPage();

        page.WaitForElement("button[aria-label='Rotate ci-deploy']");
        var disabled = ManageActions.Select(action => page.Find($"button[aria-label='{action} ci-deploy']")).Prepend(page.Button("Create API key")).ToList();
        Assert.All(disabled, button => Assert.True(button.IsDisabled(), button.OuterHtml));
        Assert.False(page.Find("button[aria-label='View ci-deploy']").IsDisabled());
        foreach (var button in disabled)
        {
            popovers.WaitForAssertion(() => Assert.DoesNotContain(Refusal, popovers.Markup));
            button.Closest(".mud-tooltip-root")!.PointerEnter(new PointerEventArgs());
            popovers.WaitForAssertion(() => Assert.Contains(Refusal, popovers.Markup));
            button.Closest(".mud-tooltip-root")!.PointerLeave(new PointerEventArgs());
        }
        // Keyboard and screen-reader users never see a tooltip on a disabled button: the page says it in text too.
        Assert.Contains(page.FindAll(".mud-alert"), alert => alert.TextContent.Contains("You can see this workspace's keys and their usage. " + Refusal));
    }

    [Fact]
    public async Task An_admin_sees_Rotate_disabled_with_the_reason_on_an_owners_key_and_may_still_edit_and_revoke_it()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("owners-key"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("members-key", owner: Database.Member));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var popovers = Render<MudPopoverProvider>();

        var page = RenderPage();

        var rotate = page.WaitForElement("button[aria-label='Rotate owners-key']");
        Assert.True(rotate.IsDisabled());
        Assert.False(page.Find("button[aria-label='Edit owners-key']").IsDisabled());
        Assert.False(page.Find("button[aria-label='Revoke owners-key']").IsDisabled());
        Assert.False(page.Find("button[aria-label='Rotate members-key']").IsDisabled());
        rotate.Closest(".mud-tooltip-root")!.PointerEnter(new PointerEventArgs());
        popovers.WaitForAssertion(() => Assert.Contains(Permissions.RotateKeyOfHigherRoleRefusal, popovers.Markup));
    }

    [Fact]
    public async Task A_member_sees_usage_count_and_last_use()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        await Database.UpdateKeyRowAsync(key.Key.Id, k =>
        {
            k.UsageCount = 987;
            k.LastUsedAt = Database.Clock.GetUtcNow().AddHours(-3);
        });
        this.SignInAs(Database, Database.Member, Roles.Member);

        var page = RenderPage();

        var row = page.WaitForElement("tr:has(button[aria-label='View ci-deploy'])");
        var cells = row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Contains("987", cells);
        Assert.Contains("3 hours ago", cells);
    }

    [Fact]
    public async Task Revoked_keys_stay_hidden_until_asked_for()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("still-working"));
        var revoked = await Database.CreateKeyAsync(WorldKeys.KeyRequest("leaked-in-ticket"));
        await Database.KeyService().RevokeAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, revoked.Key.Id, "leaked");
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();
        page.WaitForElement("button[aria-label='View still-working']");
        Assert.Empty(page.FindAll("button[aria-label='View leaked-in-ticket']"));

        page.Choice("Show revoked keys").Change(true);

        var row = page.WaitForElement("tr:has(button[aria-label='View leaked-in-ticket'])");
        Assert.Contains("Revoked", row.TextContent);
        Assert.True(row.QuerySelector("button[aria-label='Revoke leaked-in-ticket']")!.IsDisabled());
    }

    [Fact]
    public async Task The_banner_counts_keys_that_expire_within_14_days_and_shows_them()
    {
        var now = Database.Clock.GetUtcNow();
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("expires-soon") with { ExpiresAt = now.AddDays(13) });
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("expires-later") with { ExpiresAt = now.AddDays(15) });
        this.SignInAs(Database, Database.Member, Roles.Member);

        var page = RenderPage();

        page.WaitForElement("button[aria-label='View expires-later']");
        Assert.Contains(Banners(page), text => text.StartsWith("1 key expires within 14 days."));

        page.FindAll(".mud-alert button").First(b => b.TextContent.Trim() == "Show them").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("button[aria-label='View expires-later']")));
        Assert.Single(page.FindAll("button[aria-label='View expires-soon']"));
    }

    [Fact]
    public async Task No_banner_when_no_key_expires_within_14_days()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("expires-later") with { ExpiresAt = Database.Clock.GetUtcNow().AddDays(15) });
        this.SignInAs(Database, Database.Member, Roles.Member);

        var page = RenderPage();

        page.WaitForElement("button[aria-label='View expires-later']");
        Assert.DoesNotContain(Banners(page), text => text.Contains("within 14 days"));
    }

    [Fact]
    public async Task Searching_narrows_the_list_and_says_when_nothing_matches()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-integration"));
        this.SignInAs(Database, Database.Member, Roles.Member);
        var page = RenderPage();
        page.WaitForElement("button[aria-label='View ci-deploy']");

        SearchFor(page, "CRM");

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("button[aria-label='View ci-deploy']")));
        Assert.Single(page.FindAll("button[aria-label='View crm-integration']"));

        SearchFor(page, "nothing-like-this");

        page.WaitForAssertion(() => Assert.Contains("No keys match these filters", page.Markup));
        Assert.DoesNotContain("No API keys yet", page.Markup);
    }

    [Fact]
    public async Task The_grid_loads_one_page_at_a_time()
    {
        for (var i = 0; i < 30; i++) await Database.CreateKeyAsync(WorldKeys.KeyRequest($"key-{i:00}"));
        this.SignInAs(Database, Database.Member, Roles.Member);

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("tbody tr:has(button[aria-label^='View '])").Count));
        Assert.Contains("1-25 of 30", page.Find(".mud-table-pagination").TextContent);
    }

    [Fact]
    public void An_empty_workspace_explains_keys_and_warns_they_are_as_powerful_as_a_password()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("No API keys yet", page.Markup));
        Assert.Contains("as powerful as a password", page.Markup);
        Assert.False(page.Button("Create API key").IsDisabled());
    }

    [Fact]
    public void Someone_in_no_workspace_is_told_so()
    {
        this.SignInAs(Database, Database.Outsider, role: null);

        var page = RenderPage();

        Assert.Contains("You are not a member of any workspace yet", page.Markup);
        Assert.Empty(page.FindComponents<MudDataGrid<KeySummary>>());
    }

    [Fact]
    public async Task Stale_keys_carry_a_stale_chip_and_the_stale_filter_shows_only_them()
    {
        var forgotten = await Database.CreateKeyAsync(WorldKeys.KeyRequest("forgotten"));
        Database.Clock.Advance(TimeSpan.FromDays(30));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("fresh"));
        this.SignInAs(Database, Database.Member, Roles.Member);
        var popovers = Render<MudPopoverProvider>();
        var page = RenderPage();

        var row = page.WaitForElement("tr:has(button[aria-label='View forgotten'])");
        Assert.Contains("Stale", row.QuerySelectorAll(".mud-chip").Select(c => c.TextContent.Trim()));
        Assert.DoesNotContain("Stale", page.Find("tr:has(button[aria-label='View fresh'])").TextContent);

        page.FindAll(".mud-select").First(s => s.QuerySelector("label")?.TextContent.Trim() == "Status")
            .QuerySelector(".mud-input-control")!.MouseDown(new MouseEventArgs());
        popovers.WaitForElements(".mud-list-item").First(i => i.TextContent.Trim() == "Stale").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("button[aria-label='View fresh']")));
        Assert.Single(page.FindAll("button[aria-label='View forgotten']"));
    }

    [Fact]
    public async Task The_key_name_links_to_its_page()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        this.SignInAs(Database, Database.Member, Roles.Member);

        var page = RenderPage();

        var link = page.WaitForElement("tr:has(button[aria-label='View ci-deploy']) a");
        Assert.Equal(("ci-deploy", $"keys/{key.Key.Id}"), (link.TextContent.Trim(), link.GetAttribute("href")));
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public async Task Owners_and_admins_select_rows_and_revoke_them_together(string role)
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("first"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("second"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("kept"));
        this.SignInAs(Database, role == Roles.Owner ? Database.Owner : Database.Admin, role);
        var dialogs = Render<MudDialogProvider>();
        var page = Render<KeysPage>();
        page.WaitForElement("button[aria-label='View first']");
        Assert.True(page.Button("Revoke selected").IsDisabled());

        page.Find("tr:has(button[aria-label='View first']) input[type=checkbox]").Change(true);
        page.Find("tr:has(button[aria-label='View second']) input[type=checkbox]").Change(true);
        page.WaitForAssertion(() => Assert.Contains("2 selected", page.Markup));
        page.Button("Revoke selected").Click();
        dialogs.WaitForElements("tbody tr", 2);
        dialogs.Button("Revoke 2 keys").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("button[aria-label='View first']")));
        Assert.Empty(page.FindAll("button[aria-label='View second']"));
        Assert.Single(page.FindAll("button[aria-label='View kept']"));
        Assert.True(page.Button("Revoke selected").IsDisabled());
    }

    [Fact]
    public async Task A_member_can_neither_select_rows_nor_look_up_leaked_keys()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        this.SignInAs(Database, Database.Member, Roles.Member);
        var popovers = Render<MudPopoverProvider>();

        var page = RenderPage();

        var row = page.WaitForElement("tr:has(button[aria-label='View ci-deploy'])");
        Assert.Null(row.QuerySelector("input[type=checkbox]"));
        Assert.Empty(page.FindAll("button").Where(b => b.TextContent.Trim() == "Revoke selected"));
        var lookup = page.FindAll("a, button").Single(e => e.TextContent.Trim() == "Find a leaked key");
        Assert.True(lookup.IsDisabled() || lookup.HasAttribute("disabled") || lookup.GetAttribute("aria-disabled") == "true", lookup.OuterHtml);
        lookup.Closest(".mud-tooltip-root")!.PointerEnter(new PointerEventArgs());
        popovers.WaitForAssertion(() => Assert.Contains("Only owners and admins can look up leaked keys.", popovers.Markup));
    }

    /// <summary>Types into the search box and leaves it, which applies the search without waiting for the debounce.</summary>
    private static void SearchFor(IRenderedComponent<KeysPage> page, string text)
    {
        page.Field("Search").Input(text);
        page.Field("Search").Blur();
    }

    private IRenderedComponent<KeysPage> RenderPage()
    {
        Render<MudDialogProvider>();
        return Render<KeysPage>();
    }

    private static List<string> Banners(IRenderedComponent<KeysPage> page) =>
        page.FindAll(".mud-alert").Select(a => a.TextContent.Trim()).ToList();
}
