using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using KeyDashboard.Components.Layout;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KeyDashboard.Tests.Components;

public sealed class WorkspaceSwitcherTests : ComponentTestContext
{
    [Fact]
    public async Task Lists_the_users_workspaces_with_their_role_in_each()
    {
        await Database.AddMembershipAsync(Database.OtherWorkspace, Database.Owner, Roles.Member);
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var popovers = Render<MudPopoverProvider>();
        var switcher = Render<WorkspaceSwitcher>();

        switcher.WaitForElement("button").Click();

        Assert.Equal("Acme", switcher.Find("button").TextContent.Trim());
        Assert.Equal("Acme: switch workspace", switcher.Find("button").GetAttribute("aria-label"));
        Assert.Equal(["Acme · owner", "Other · member", "Create workspace"], MenuItems(popovers).Select(i => i.TextContent.Trim()));
        Assert.NotNull(MenuItems(popovers)[0].QuerySelector("svg"));
        Assert.Null(MenuItems(popovers)[1].QuerySelector("svg"));
    }

    [Fact]
    public async Task A_rename_shows_in_the_top_bar_at_once()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var switcher = Render<WorkspaceSwitcher>();
        switcher.WaitForAssertion(() => Assert.Equal("Acme", switcher.Find("button").TextContent.Trim()));

        var renamed = await Database.SettingsService().RenameAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, "Acme Inc");

        Assert.True(renamed.Succeeded, renamed.Message);
        switcher.WaitForAssertion(() => Assert.Equal("Acme Inc", switcher.Find("button").TextContent.Trim()));
        Assert.Equal("Acme Inc: switch workspace", switcher.Find("button").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Switching_makes_the_workspace_current_and_reloads()
    {
        await Database.AddMembershipAsync(Database.OtherWorkspace, Database.Owner, Roles.Member);
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var popovers = Render<MudPopoverProvider>();
        var switcher = Render<WorkspaceSwitcher>();
        switcher.WaitForElement("button").Click();

        MenuItems(popovers).Single(i => i.TextContent.StartsWith("Other")).Click();

        var navigation = (BunitNavigationManager)Services.GetRequiredService<NavigationManager>();
        switcher.WaitForAssertion(() => Assert.NotEmpty(navigation.History));
        var reload = Assert.Single(navigation.History);
        Assert.Equal("/", reload.Uri);
        Assert.True(reload.Options.ForceLoad);
        Assert.Equal(Database.OtherWorkspace.Id, await Database.CurrentWorkspaceIdAsync(Database.Owner));
    }

    [Fact]
    public async Task Switching_to_a_workspace_the_user_has_just_left_is_refused()
    {
        await Database.AddMembershipAsync(Database.OtherWorkspace, Database.Owner, Roles.Member);
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var snackbars = Render<MudSnackbarProvider>();
        var popovers = Render<MudPopoverProvider>();
        var switcher = Render<WorkspaceSwitcher>();
        switcher.WaitForElement("button").Click();
        await using (var db = await Database.DbFactory.CreateDbContextAsync())
            await db.Memberships.Where(m => m.UserId == Database.Owner.Id && m.WorkspaceId == Database.OtherWorkspace.Id).ExecuteDeleteAsync();

        MenuItems(popovers).Single(i => i.TextContent.StartsWith("Other")).Click();

        snackbars.WaitForAssertion(() => Assert.Contains("You are not a member of that workspace.", snackbars.Markup));
        Assert.Empty(((BunitNavigationManager)Services.GetRequiredService<NavigationManager>()).History);
        Assert.Null(await Database.CurrentWorkspaceIdAsync(Database.Owner));
    }

    [Fact]
    public async Task Create_workspace_makes_the_user_its_owner_and_reloads_into_it()
    {
        this.SignInAs(Database, Database.Member, Roles.Member);
        var popovers = Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var switcher = Render<WorkspaceSwitcher>();
        switcher.WaitForElement("button").Click();

        MenuItems(popovers).Single(i => i.TextContent.Trim() == "Create workspace").Click();
        dialogs.WaitForElement("form#create-workspace-form");
        dialogs.Field("Workspace name").Input("Side project");
        dialogs.Find("form#create-workspace-form").Submit();

        var navigation = (BunitNavigationManager)Services.GetRequiredService<NavigationManager>();
        switcher.WaitForAssertion(() => Assert.NotEmpty(navigation.History));
        Assert.True(Assert.Single(navigation.History).Options.ForceLoad);
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        var created = await db.Workspaces.SingleAsync(w => w.Name == "Side project");
        Assert.Equal(created.Id, await Database.CurrentWorkspaceIdAsync(Database.Member));
        Assert.Equal(Roles.Owner, await WorkspaceAccess.RoleAsync(db, created.Id, Database.Member.Id));
    }

    [Fact]
    public void A_user_in_no_workspace_can_still_create_one()
    {
        this.SignInAs(Database, Database.Outsider, role: null);
        var popovers = Render<MudPopoverProvider>();
        var switcher = Render<WorkspaceSwitcher>();

        switcher.WaitForElement("button").Click();

        Assert.Equal("No workspace", switcher.Find("button").TextContent.Trim());
        Assert.Equal(["Create workspace"], MenuItems(popovers).Select(i => i.TextContent.Trim()));
    }

    private static List<IElement> MenuItems(IRenderedComponent<MudPopoverProvider> popovers) =>
        popovers.FindAll(".mud-menu-item").ToList();
}
