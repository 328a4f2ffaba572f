using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

/// <summary>What the keys page shows when a key's owner left the workspace, or the plan no longer allows live keys.</summary>
public sealed class KeysPagePlanAndOwnerTests : ComponentTestContext
{
    [Fact]
    public async Task A_key_whose_owner_was_removed_is_marked()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("members-key") with { OwnerUserId = Database.Member.Id });
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("admins-key") with { OwnerUserId = Database.Admin.Id });
        await Database.MembershipService().RemoveAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, Database.Member.Id);
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = RenderPage();

        var removed = page.WaitForElement("tr:has(button[aria-label='View members-key'])");
        Assert.Contains("Owner removed", removed.TextContent);
        Assert.DoesNotContain("Owner removed", page.Find("tr:has(button[aria-label='View admins-key'])").TextContent);
    }

    [Fact]
    public async Task On_the_free_plan_live_keys_show_upgrade_required()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("live-key") with { Environment = KeyEnvironment.Live });
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("test-key"));
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Assert.DoesNotContain("Upgrade required", RenderPage().WaitForElement("tr:has(button[aria-label='View live-key'])").TextContent);

        await Database.SettingsService().ChangePlanAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, WorkspacePlan.Free);
        var page = RenderPage();

        Assert.Contains("Upgrade required", page.WaitForElement("tr:has(button[aria-label='View live-key'])").TextContent);
        Assert.DoesNotContain("Upgrade required", page.Find("tr:has(button[aria-label='View test-key'])").TextContent);
    }

    private IRenderedComponent<KeysPage> RenderPage()
    {
        Render<MudDialogProvider>();
        return Render<KeysPage>();
    }
}
