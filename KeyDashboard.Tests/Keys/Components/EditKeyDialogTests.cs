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

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync(KeySummary key)
    {
        var opened = await this.OpenDialogAsync(new DialogParameters<EditKeyDialog> { { d => d.Key, key } });
        opened.Provider.WaitForElement("form#edit-key-form");
        return opened;
    }
}
