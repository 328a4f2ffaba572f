using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KeyDashboard.Tests.Workspaces.Components;

/// <summary>Downgrading to Free asks first, saying how many live keys stop working.</summary>
public sealed class SettingsPageDowngradeTests : ComponentTestContext
{
    [Fact]
    public async Task The_question_counts_the_working_live_keys_and_keeping_paid_changes_nothing()
    {
        foreach (var name in new[] { "prod-main-app", "crm-integration", "billing-sync", "revoked-live", "expired-live" })
            await Database.CreateKeyAsync(WorldKeys.KeyRequest(name) with { Environment = KeyEnvironment.Live });
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        var keys = await Database.KeyService().ListAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, new KeyQuery());
        await Database.KeyService().RevokeAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, keys.Value!.Items.Single(k => k.Name == "revoked-live").Id, null);
        await Database.UpdateKeyRowAsync(keys.Value.Items.Single(k => k.Name == "expired-live").Id, k => k.ExpiresAt = Database.Clock.GetUtcNow().AddDays(-1));
        var (page, dialogs) = RenderPage();

        page.Button("Downgrade to Free").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("3 live keys stop working until you upgrade again.", dialogs.Markup));
        dialogs.Button("Keep Paid").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Equal(WorkspacePlan.Paid, await PlanAsync());
        Assert.Empty(await Database.AuditEntriesAsync(AuditActions.WorkspacePlanChanged));
        page.Button("Downgrade to Free");
    }

    [Fact]
    public async Task Confirming_downgrades()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        var (page, dialogs) = RenderPage();

        page.Button("Downgrade to Free").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("1 live key stops working until you upgrade again.", dialogs.Markup));
        dialogs.Button("Downgrade to Free").Click();

        page.WaitForAssertion(() => page.Button("Upgrade to Paid"));
        Assert.Equal(WorkspacePlan.Free, await PlanAsync());
    }

    [Fact]
    public async Task Live_keys_that_cannot_be_counted_are_not_reported_as_none_and_the_server_still_decides()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        var (page, dialogs) = RenderPage();
        await using (var db = await Database.DbFactory.CreateDbContextAsync())
            await db.Memberships.Where(m => m.UserId == Database.Owner.Id && m.WorkspaceId == Database.Workspace.Id).ExecuteDeleteAsync();

        page.Button("Downgrade to Free").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(SettingsPage.LiveKeysStopping(null), dialogs.Markup));
        Assert.DoesNotContain("No live key", dialogs.Markup);
        dialogs.Button("Downgrade to Free").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Equal(WorkspacePlan.Paid, await PlanAsync());
    }

    [Fact]
    public void The_count_reads_as_a_sentence()
    {
        Assert.Equal("No live key is in use, so none stops working.", SettingsPage.LiveKeysStopping(0));
        Assert.StartsWith("The live keys in use could not be counted just now", SettingsPage.LiveKeysStopping(null));
        Assert.Equal("1,234 live keys stop working until you upgrade again.", SettingsPage.LiveKeysStopping(1234));
    }

    [Fact]
    public void Rename_says_why_it_is_disabled_until_the_name_changes()
    {
        var (page, _) = RenderPage();

        var rename = page.Button("Rename");

        Assert.True(rename.IsDisabled());
        Assert.Equal("Type a new name first.", page.Find($"#{rename.GetAttribute("aria-describedby")}").TextContent.Trim());
        page.Field("Workspace name").Input("Acme Corp");
        page.WaitForAssertion(() => Assert.False(page.Button("Rename").IsDisabled()));
        Assert.Null(page.Button("Rename").GetAttribute("aria-describedby"));
    }

    private (IRenderedComponent<SettingsPage>, IRenderedComponent<MudDialogProvider>) RenderPage()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<SettingsPage>();
        page.WaitForElement("h2");
        return (page, dialogs);
    }

    private async Task<WorkspacePlan> PlanAsync()
    {
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        return await db.Workspaces.Where(w => w.Id == Database.Workspace.Id).Select(w => w.Plan).SingleAsync();
    }
}
