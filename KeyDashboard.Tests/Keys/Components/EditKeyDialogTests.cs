using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class EditKeyDialogTests : ComponentTestContext
{
    [Fact]
    public async Task Changes_the_name_and_description()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm") with { Description = "old" });
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(issued.Key);
        Assert.Equal("crm", dialog.Field("Name").GetAttribute("value"));
        Assert.Equal("old", dialog.Field("Description").TextContent);

        dialog.Field("Name").Input("crm-integration");
        dialog.Field("Description").Input("Syncs contacts to the CRM");
        dialog.Find("form#edit-key-form").Submit();

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("crm-integration", Assert.IsType<KeySummary>(result!.Data).Name);
        var row = await Database.KeyRowAsync(issued.Key.Id);
        Assert.Equal("crm-integration", row.Name);
        Assert.Equal("Syncs contacts to the CRM", row.Description);
    }

    [Fact]
    public async Task An_empty_name_is_refused_and_nothing_changes()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm") with { Description = "old" });
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(issued.Key);

        dialog.Field("Name").Input("");
        dialog.Field("Description").Input("new");
        dialog.Find("form#edit-key-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("Name is required.", dialog.Markup));
        Assert.False(reference.Result.IsCompleted);
        var row = await Database.KeyRowAsync(issued.Key.Id);
        Assert.Equal(("crm", "old"), (row.Name, row.Description));
        Assert.Empty(await Database.AuditEntriesAsync(AuditActions.KeyEdited));
    }

    [Fact]
    public async Task A_key_renamed_by_someone_else_since_it_was_shown_keeps_their_name()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(issued.Key);
        await Database.KeyService().EditAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, issued.Key.Id, new EditKeyRequest("crm-sync", ""));

        dialog.Field("Name").Input("crm-old");
        dialog.Find("form#edit-key-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains(dialog.FindAll(".mud-alert"), a => a.TextContent.Trim() == ApiKeyService.KeyChanged));
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal("crm-sync", (await Database.KeyRowAsync(issued.Key.Id)).Name);
    }

    [Fact]
    public async Task Changes_scopes_and_brings_the_expiry_forward_then_says_key_updated()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm", ["keys:read", "usage:read"]));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var snackbars = Render<MudSnackbarProvider>();
        var (dialog, reference) = await OpenAsync(issued.Key);
        Assert.True(dialog.Find("input[aria-label='Read keys']").HasAttribute("checked"));
        Assert.Contains("Can only be brought forward, never later.", dialog.Markup);
        var earlier = issued.Key.ExpiresAt!.Value.UtcDateTime.Date.AddDays(-30);

        dialog.Find("input[aria-label='Read usage']").Change(false);
        dialog.Find("input[aria-label='Read members']").Change(true);
        dialog.Field("Expires").Change(earlier.ToString("yyyy-MM-dd"));
        dialog.Find("form#edit-key-form").Submit();

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["keys:read", "members:read"], Assert.IsType<KeySummary>(result!.Data).Scopes);
        var row = await Database.KeyRowAsync(issued.Key.Id);
        Assert.Equal(["keys:read", "members:read"], row.Scopes);
        Assert.Equal(earlier + issued.Key.ExpiresAt.Value.UtcDateTime.TimeOfDay, row.ExpiresAt!.Value.UtcDateTime);
        snackbars.WaitForAssertion(() => Assert.Contains("Key updated: crm", snackbars.Markup));
    }

    [Fact]
    public async Task An_unchanged_expiry_is_left_alone_to_the_second()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(issued.Key);

        dialog.Field("Name").Input("crm-sync");
        dialog.Find("form#edit-key-form").Submit();

        await reference.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(issued.Key.ExpiresAt, (await Database.KeyRowAsync(issued.Key.Id)).ExpiresAt);
        Assert.DoesNotContain("expiresAt", Assert.Single(await Database.AuditEntriesAsync(AuditActions.KeyEdited)).Details);
    }

    [Fact]
    public async Task An_admin_adding_a_scope_only_owners_hold_is_told_why_and_cannot_save()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm", ["keys:read"]));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(issued.Key);

        dialog.Find("input[aria-label='Write workspace']").Change(true);

        dialog.WaitForAssertion(() => Assert.Contains("You can grant only what your role allows: an admin may not workspace:write.", dialog.Markup));
        Assert.True(dialog.Button("Save").HasAttribute("disabled"));
        dialog.Find("input[aria-label='Write workspace']").Change(false);
        dialog.WaitForAssertion(() => Assert.False(dialog.Button("Save").HasAttribute("disabled")));
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal(["keys:read"], (await Database.KeyRowAsync(issued.Key.Id)).Scopes);
    }

    [Fact]
    public async Task Warns_when_a_chosen_scope_is_one_the_keys_owner_can_never_use()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm", ["keys:read"], Database.Member));
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (dialog, _) = await OpenAsync(issued.Key);
        Assert.Empty(dialog.FindAll(".mud-alert-text-warning, .mud-alert-filled-warning, .mud-alert-outlined-warning").Where(a => a.TextContent.Contains("never use")));

        dialog.Find("input[aria-label='Write keys']").Change(true);

        dialog.WaitForAssertion(() => Assert.Contains(
            "The key acts as member@acme.test, a member, whose role can never use keys:write: the API refuses those calls while the role stays.", dialog.Markup));
        Assert.False(dialog.Button("Save").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_key_revoked_in_another_tab_while_the_form_was_open_is_not_edited()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm", ["keys:read"]));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(issued.Key);
        await Database.KeyService().RevokeAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, issued.Key.Id, "leaked");

        dialog.Field("Name").Input("crm-renamed");
        dialog.Find("form#edit-key-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains(dialog.FindAll(".mud-alert"), a => a.TextContent.Trim() == KeyStateRefusals.EditRevoked));
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal("crm", (await Database.KeyRowAsync(issued.Key.Id)).Name);
        Assert.Empty(await Database.AuditEntriesAsync(AuditActions.KeyEdited));
    }

    [Fact]
    public async Task A_later_expiry_refused_by_the_server_is_shown_at_the_field()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(issued.Key);

        // The picker's MaxDate stops a person; a tampered circuit message would not be stopped by it.
        dialog.Field("Expires").Change(issued.Key.ExpiresAt!.Value.UtcDateTime.AddDays(10).ToString("yyyy-MM-dd"));
        dialog.Find("form#edit-key-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("Expiry can only be brought forward", dialog.Markup));
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal(issued.Key.ExpiresAt, (await Database.KeyRowAsync(issued.Key.Id)).ExpiresAt);
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync(KeySummary key)
    {
        var opened = await this.OpenDialogAsync(new DialogParameters<EditKeyDialog> { { d => d.Key, key } });
        opened.Provider.WaitForElement("form#edit-key-form");
        return opened;
    }
}
