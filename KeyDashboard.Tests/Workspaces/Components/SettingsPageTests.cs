using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.Tests.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KeyDashboard.Tests.Workspaces.Components;

public sealed class SettingsPageTests : ComponentTestContext
{
    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Member)]
    public void Anyone_but_an_owner_is_told_that_only_owners_change_settings(string role)
    {
        this.SignInAs(Database, Database.UserWithRole(role), role);

        var page = Render<SettingsPage>();

        Assert.Contains("Only owners can change workspace settings.", page.Find(".mud-alert").TextContent);
        Assert.Empty(page.FindAll("input"));
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public void An_owner_sees_name_plan_key_policy_and_api_access()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = RenderPage();

        Assert.Equal("Acme", page.Field("Workspace name").GetAttribute("value"));
        Assert.Equal("365", page.Field("Default lifetime (days)").GetAttribute("value"));
        Assert.Equal("365", page.Field("Longest lifetime (days)").GetAttribute("value"));
        page.Button("Downgrade to Free");
        Assert.Equal(["Workspace", "Plan", "Key policy", "Two-factor authentication", "API access"], page.FindAll("h2").Select(h => h.TextContent.Trim()));
        Assert.Contains("grants full access within its scopes", page.Markup);
    }

    [Fact]
    public async Task Upgrading_and_downgrading_the_plan()
    {
        await Database.UpdateWorkspaceAsync(Database.Workspace, w => w.Plan = WorkspacePlan.Free);
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.Button("Upgrade to Paid").Click();

        page.WaitForAssertion(() => page.Button("Downgrade to Free"));
        Assert.Equal(WorkspacePlan.Paid, await PlanAsync());
        page.Button("Downgrade to Free").Click();
        dialogs.WaitForAssertion(() => dialogs.Button("Downgrade to Free"));
        dialogs.Button("Downgrade to Free").Click();
        page.WaitForAssertion(() => page.Button("Upgrade to Paid"));
        Assert.Equal(WorkspacePlan.Free, await PlanAsync());
        Assert.Equal(2, (await Database.AuditEntriesAsync(AuditActions.WorkspacePlanChanged)).Count);
    }

    [Fact]
    public async Task A_default_lifetime_longer_than_the_longest_is_refused_next_to_the_field()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();

        page.Field("Default lifetime (days)").Change("400");
        page.Button("Save key policy").Click();

        page.WaitForAssertion(() => Assert.Contains("Default lifetime cannot be longer than the longest lifetime.", page.Markup));
        Assert.Empty(await Database.AuditEntriesAsync(AuditActions.WorkspacePolicyChanged));
    }

    [Fact]
    public async Task Saving_a_valid_policy()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();

        page.Field("Default lifetime (days)").Change("90");
        page.Field("Longest lifetime (days)").Change("180");
        page.Find("input[type='checkbox']").Change(true);
        page.Button("Save key policy").Click();

        await page.WaitForAssertionAsync(async () => Assert.Single(await Database.AuditEntriesAsync(AuditActions.WorkspacePolicyChanged)));
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == Database.Workspace.Id);
        Assert.Equal((90, (int?)180, true), (workspace.DefaultKeyLifetimeDays, workspace.MaxKeyLifetimeDays, workspace.AllowNeverExpiringKeys));
    }

    [Fact]
    public async Task Renaming_the_workspace()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();
        var snackbars = Render<MudSnackbarProvider>();

        page.Field("Workspace name").Input("Acme Corp");
        page.Button("Rename").Click();

        snackbars.WaitForAssertion(() => Assert.Contains("The workspace is now called Acme Corp.", snackbars.Markup));
        Assert.Single(await Database.AuditEntriesAsync(AuditActions.WorkspaceRenamed));
    }

    [Fact]
    public async Task An_owner_with_two_factor_turns_on_the_requirement_with_its_switch()
    {
        await Database.EnableTwoFactorAsync(Database.Owner);
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();

        page.Choice(RequireTwoFactor).Change(true);

        await page.WaitForAssertionAsync(async () => Assert.True(await RequiresTwoFactorAsync()));
        Assert.Single(await Database.AuditEntriesAsync(AuditActions.WorkspaceTwoFactorRequirementChanged));
        page.WaitForAssertion(() => Assert.True(page.Choice(RequireTwoFactor).HasAttribute("checked")));
        page.Choice(RequireTwoFactor).Change(false);
        await page.WaitForAssertionAsync(async () => Assert.False(await RequiresTwoFactorAsync()));
    }

    [Fact]
    public async Task An_owner_without_two_factor_is_told_to_turn_it_on_first_and_the_requirement_stays_off()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();

        page.Choice(RequireTwoFactor).Change(true);

        page.WaitForAssertion(() => Assert.Contains(Permissions.RequireTwoFactorWithoutItRefusal, page.Markup));
        Assert.NotNull(page.Find("a[href='Account/Manage/TwoFactorAuthentication']"));
        Assert.False(page.Choice(RequireTwoFactor).HasAttribute("checked"));
        Assert.False(await RequiresTwoFactorAsync());
        Assert.Empty(await Database.AuditEntriesAsync(AuditActions.WorkspaceTwoFactorRequirementChanged));
    }

    [Fact]
    public async Task Under_the_requirement_an_owner_without_two_factor_sees_why_the_settings_are_closed_and_where_to_turn_it_on()
    {
        await Database.RequireTwoFactorAsync();
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = Render<SettingsPage>();

        var notice = page.Find(".mud-alert");
        Assert.Contains("Turn on two-factor authentication to change workspace settings.", notice.TextContent);
        Assert.NotNull(notice.QuerySelector("a[href='Account/Manage/TwoFactorAuthentication']"));
        Assert.Empty(page.FindAll("input"));
        Assert.Empty(page.FindAll("button"));
    }

    private const string RequireTwoFactor = "Require two-factor authentication for owners and admins";

    private async Task<bool> RequiresTwoFactorAsync()
    {
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        return await db.Workspaces.Where(w => w.Id == Database.Workspace.Id).Select(w => w.RequireTwoFactorForManagers).SingleAsync();
    }

    private IRenderedComponent<SettingsPage> RenderPage()
    {
        var page = Render<SettingsPage>();
        page.WaitForElement("h2");
        return page;
    }

    private async Task<WorkspacePlan> PlanAsync()
    {
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        return await db.Workspaces.Where(w => w.Id == Database.Workspace.Id).Select(w => w.Plan).SingleAsync();
    }
}
