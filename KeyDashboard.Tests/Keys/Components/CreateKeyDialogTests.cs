using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class CreateKeyDialogTests : ComponentTestContext
{
    [Fact]
    public async Task An_empty_name_is_refused_in_the_form()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (dialog, reference) = await OpenAsync();
        dialog.Find("input[aria-label='Read keys']").Change(true);

        dialog.Find("form#create-key-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("Name is required.", dialog.Markup));
        Assert.Equal("true", dialog.Field("Name").GetAttribute("aria-invalid"));
        Assert.False(reference.Result.IsCompleted);
        Assert.Empty(await KeyRowsAsync());
    }

    [Fact]
    public async Task The_servers_validation_is_shown_next_to_its_field()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (dialog, reference) = await OpenAsync();
        dialog.Field("Name").Input("prod-main-app");

        dialog.Find("form#create-key-form").Submit();

        var error = dialog.WaitForElement("[role=alert]");
        Assert.Equal("Choose at least one scope.", error.TextContent.Trim());
        Assert.False(reference.Result.IsCompleted);
        Assert.Empty(await KeyRowsAsync());
    }

    [Fact]
    public async Task An_email_address_in_the_name_raises_a_warning()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (dialog, _) = await OpenAsync();
        Assert.DoesNotContain("e-mail address", dialog.Markup);

        dialog.Field("Name").Input("jane.doe@example.com");

        Assert.Contains("This contains an e-mail address.", dialog.Find(".mud-alert-text-warning").TextContent);
    }

    [Fact]
    public async Task A_member_who_gets_the_dialog_is_refused_by_the_server()
    {
        this.SignInAs(Database, Database.Member, Roles.Member);
        var (dialog, reference) = await OpenAsync();
        dialog.Field("Name").Input("prod-main-app");
        dialog.Find("input[aria-label='Read keys']").Change(true);

        dialog.Find("form#create-key-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains(dialog.FindAll(".mud-alert"), a => a.TextContent.Trim() == "Only owners and admins can manage API keys."));
        Assert.False(reference.Result.IsCompleted);
        Assert.Empty(await KeyRowsAsync());
    }

    [Fact]
    public async Task A_busy_database_shows_the_message_and_keeps_the_dialog_open_with_its_inputs()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (dialog, reference) = await OpenAsync();
        dialog.Field("Name").Input("prod-main-app");
        dialog.Field("Description").Input("The main app in production");
        dialog.Find("input[aria-label='Read keys']").Change(true);

        await using (await DatabaseWriteLock.TakeAsync(Database.Directory))
        {
            dialog.Find("form#create-key-form").Submit();
            // The busy timeout runs out first: seconds, not the usual wait.
            dialog.WaitForAssertion(() => Assert.Contains(dialog.FindAll(".mud-alert"), a => a.TextContent.Trim() == KeyDashboard.Data.DatabaseUnavailable.Message),
                TimeSpan.FromSeconds(30));
        }

        Assert.False(reference.Result.IsCompleted);
        Assert.Equal("prod-main-app", dialog.Field("Name").GetAttribute("value"));
        Assert.Equal("The main app in production", dialog.Field("Description").GetAttribute("value"));
        Assert.True(dialog.Find("input[aria-label='Read keys']").IsChecked());
        Assert.Empty(await KeyRowsAsync());

        dialog.Find("form#create-key-form").Submit();
        var issued = Assert.IsType<IssuedKey>((await reference.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Data);
        Assert.Equal("prod-main-app", issued.Key.Name);
    }

    [Fact]
    public async Task Live_keys_need_the_paid_plan()
    {
        await Database.UpdateWorkspaceAsync(Database.Workspace, w => w.Plan = WorkspacePlan.Free);
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (dialog, _) = await OpenAsync();

        var live = LiveRadio(dialog);
        Assert.True(live.QuerySelector("input")!.IsDisabled());
        // Beside the disabled radio, not in it: the dimmed text of a disabled label made it unreadable.
        Assert.DoesNotContain("Upgrade required", live.TextContent);
        var chip = dialog.FindAll(".mud-chip").Single(c => c.TextContent.Trim() == "Upgrade required");
        Assert.Null(chip.Closest("label"));
    }

    [Fact]
    public async Task A_paid_workspace_may_create_live_keys()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (dialog, _) = await OpenAsync();

        var live = LiveRadio(dialog);
        Assert.False(live.QuerySelector("input")!.IsDisabled());
        Assert.DoesNotContain("Upgrade required", dialog.Markup);
    }

    [Fact]
    public async Task A_rows_toggle_selects_every_action_the_resource_allows()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (dialog, _) = await OpenAsync();

        dialog.Find("input[aria-label='All teammates scopes']").Change(true);

        Assert.All(new[] { "Read", "Write", "Delete" }, action =>
            Assert.True(dialog.Find($"input[aria-label='{action} teammates']").IsChecked(), action));
        Assert.False(dialog.Find("input[aria-label='Read keys']").IsChecked());

        dialog.Find("input[aria-label='All teammates scopes']").Change(false);

        Assert.All(new[] { "Read", "Write", "Delete" }, action =>
            Assert.False(dialog.Find($"input[aria-label='{action} teammates']").IsChecked(), action));
    }

    [Fact]
    public async Task A_read_only_resource_offers_no_write_or_delete()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (dialog, _) = await OpenAsync();

        Assert.Single(dialog.FindAll("input[aria-label='Read integrations']"));
        Assert.Empty(dialog.FindAll("input[aria-label='Write integrations']"));
        Assert.Empty(dialog.FindAll("input[aria-label='Delete integrations']"));
        Assert.Equal(2, dialog.Find("input[aria-label='Read integrations']").Closest("tr")!.QuerySelectorAll(".mud-text-disabled").Length);
    }

    [Fact]
    public async Task Creating_closes_with_the_issued_key_owned_by_the_signed_in_user()
    {
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync();
        Assert.Equal("admin@acme.test (admin)", dialog.Field("Owner").GetAttribute("value"));
        dialog.Field("Name").Input("crm-integration");
        dialog.Field("Description").Input("Syncs contacts to the CRM");
        dialog.Find("input[aria-label='All teammates scopes']").Change(true);
        dialog.Find("input[aria-label='Read integrations']").Change(true);

        dialog.Find("form#create-key-form").Submit();

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(10));
        var issued = Assert.IsType<IssuedKey>(result!.Data);
        Assert.False(result.Canceled);
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("form#create-key-form")));
        var row = Assert.Single(await KeyRowsAsync());
        Assert.Equal(issued.Key.Id, row.Id);
        Assert.Equal("crm-integration", row.Name);
        Assert.Equal("Syncs contacts to the CRM", row.Description);
        Assert.Equal(Database.Admin.Id, row.OwnerUserId);
        Assert.Equal(KeyEnvironment.Test, row.Environment);
        Assert.Equal(["integrations:read", "teammates:delete", "teammates:read", "teammates:write"], row.Scopes);
        Assert.Equal(Database.Hasher.Hash(issued.Secret), row.SecretHash);
    }

    [Theory]
    [InlineData(Roles.Owner, new[] { "admin@acme.test", "member@acme.test", "owner@acme.test" })]
    [InlineData(Roles.Admin, new[] { "admin@acme.test", "member@acme.test" })]
    public async Task The_owner_picker_offers_only_members_the_creator_may_mint_a_key_for(string role, string[] offered)
    {
        this.SignInAs(Database, role == Roles.Owner ? Database.Owner : Database.Admin, role);
        var (dialog, _) = await OpenAsync();

        var search = dialog.FindComponent<MudAutocomplete<MemberSummary>>().Instance.SearchFunc;
        var members = await search!("", CancellationToken.None)!;

        Assert.Equal(offered, members.Select(m => m.Email).Order());
        Assert.Equal(role == Roles.Admin, dialog.Markup.Contains(Permissions.CreateKeyForHigherRoleRefusal));
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync()
    {
        var opened = await this.OpenDialogAsync(new DialogParameters<CreateKeyDialog>());
        opened.Provider.WaitForElement("form#create-key-form");
        return opened;
    }

    private static IElement LiveRadio(IRenderedComponent<MudDialogProvider> dialog) =>
        dialog.FindAll("label.mud-radio").Single(l => l.TextContent.Trim().StartsWith("live"));

    private async Task<List<ApiKey>> KeyRowsAsync()
    {
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        return await db.ApiKeys.AsNoTracking().ToListAsync();
    }
}
