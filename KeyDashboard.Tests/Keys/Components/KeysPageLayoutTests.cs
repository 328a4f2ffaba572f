using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

/// <summary>The keys table at each width, its view kept in the address, and the columns a person chooses.</summary>
public sealed class KeysPageLayoutTests : ComponentTestContext
{
    private const string ColumnsModule = "./Keys/KeyColumnsMenu.razor.js";

    [Fact]
    public async Task A_laptop_shows_every_column()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(
            ["Name", "Prefix", "Owner", "Scopes", "Usage", "Last used", "Expires", "Status", "Actions"], Headers(page)));
        Assert.Empty(page.FindAll(".key-card"));
    }

    [Fact]
    public async Task A_tablet_in_landscape_shows_the_prefix_and_scopes_under_the_name()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy") with { Scopes = ["keys:read", "usage:read"] });
        ScreenWidth(1024);
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(["Name", "Owner", "Usage", "Last used", "Expires", "Status", "Actions"], Headers(page)));
        var name = page.Find(".key-name-cell");
        Assert.Equal($"{key.Key.DisplayPrefix}…", name.QuerySelector("code.key-prefix")!.TextContent);
        Assert.Equal("2 scopes", name.QuerySelector(".scope-count button")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_phone_shows_each_key_as_one_card_with_its_facts_once()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy") with { Scopes = ["keys:read"] });
        await Database.UpdateKeyRowAsync(key.Key.Id, k => k.UsageCount = 1234);
        ScreenWidth(390);
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = RenderPage();

        var card = page.WaitForElement(".key-card");
        Assert.Equal(["Key", "Actions"], Headers(page));
        Assert.Equal("ci-deploy", card.QuerySelector("a")!.TextContent);
        Assert.Contains("Active", card.TextContent);
        Assert.Contains("1 scope", card.TextContent);
        Assert.Contains("1,234 requests", card.TextContent);
        Assert.Contains("last used never", card.TextContent);
        Assert.Single(page.FindAll($"a[href='keys/{key.Key.Id}']"));
        Assert.Single(page.FindAll("code.key-prefix"));
        Assert.False(page.Find("button[aria-label='Rotate ci-deploy']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_shared_link_opens_the_same_search_filter_and_sort()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-export"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        var keys = await Database.KeyService().ListAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, new KeyQuery());
        foreach (var (name, usage) in new[] { ("crm-sync", 10), ("crm-export", 500), ("ci-deploy", 9000) })
            await Database.UpdateKeyRowAsync(keys.Value!.Items.Single(k => k.Name == name).Id, k => k.UsageCount = usage);
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?q=crm&sort=usage&env=test");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Equal(["crm-export", "crm-sync"], Names(page)));
        Assert.Equal("crm", page.Field("Search").GetAttribute("value"));
        Assert.Contains("mud-direction-desc", SortIconOf(page, "Usage"));
        Assert.Equal("test", page.FindComponents<MudSelect<KeyEnvironment?>>().Single().Instance.Value?.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task Searching_writes_the_search_into_the_address()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();
        page.WaitForElement("button[aria-label='View crm-sync']");

        page.Field("Search").Input("crm");
        page.Field("Search").Blur();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("?q=crm", navigation.Uri));
    }

    [Fact]
    public async Task Hiding_a_column_removes_it_and_remembers_the_choice_in_this_browser()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        var module = JSInterop.SetupModule(ColumnsModule);
        module.Setup<string?>("load", _ => true).SetResult("Usage");
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var popovers = Render<MudPopoverProvider>();

        var page = RenderPage();
        page.WaitForAssertion(() => Assert.DoesNotContain("Usage", Headers(page)));

        page.Find("button[aria-label='Columns: choose which to show']").Click();
        var prefix = popovers.WaitForElement("[role=menuitemcheckbox]:contains('Prefix')");
        Assert.Equal("true", prefix.GetAttribute("aria-checked"));
        Assert.Equal("false", popovers.Find("[role=menuitemcheckbox]:contains('Usage')").GetAttribute("aria-checked"));
        prefix.Click();

        page.WaitForAssertion(() => Assert.DoesNotContain("Prefix", Headers(page)));
        Assert.Equal("Prefix,Usage", module.VerifyInvoke("save").Arguments[1]);
    }

    private IRenderedComponent<KeysPage> RenderPage()
    {
        Render<MudDialogProvider>();
        return Render<KeysPage>();
    }

    private static List<string> Headers(IRenderedComponent<KeysPage> page) =>
        page.FindAll(".keys-grid thead th").Select(th => th.TextContent.Trim()).Where(text => text.Length > 0).ToList();

    private static List<string> Names(IRenderedComponent<KeysPage> page) =>
        page.FindAll(".keys-grid tbody .key-name").Select(a => a.TextContent.Trim()).ToList();

    private static string? SortIconOf(IRenderedComponent<KeysPage> page, string header) =>
        page.FindAll(".keys-grid thead th").Single(th => th.TextContent.Trim() == header).QuerySelector(".sort-direction-icon")?.ClassName;
}
