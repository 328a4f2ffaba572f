using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

/// <summary>The create dialog warns, as scopes and owner are chosen, when the owner's role can never use a chosen scope.</summary>
public sealed class CreateKeyDialogScopeWarningTests : ComponentTestContext
{
    [Fact]
    public async Task A_member_owner_with_keys_write_is_warned_about_and_the_warning_follows_the_choices()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (dialog, _) = await this.OpenDialogAsync(new DialogParameters<CreateKeyDialog>());
        dialog.WaitForElement("form#create-key-form");
        dialog.Find("input[aria-label='Write keys']").Change(true);
        Assert.Empty(Warnings(dialog));

        await ChooseOwnerAsync(dialog, "member@acme.test");

        var warning = Assert.Single(Warnings(dialog));
        Assert.StartsWith("The key acts as member@acme.test, a member, whose role can never use keys:write:", warning);
        dialog.Find("input[aria-label='Delete members']").Change(true);
        dialog.WaitForAssertion(() => Assert.Contains("can never use keys:write, members:delete", Assert.Single(Warnings(dialog))));
        dialog.Find("input[aria-label='Write keys']").Change(false);
        dialog.Find("input[aria-label='Delete members']").Change(false);
        dialog.WaitForAssertion(() => Assert.Empty(Warnings(dialog)));
        dialog.Find("input[aria-label='Read keys']").Change(true);
        Assert.Empty(Warnings(dialog));
    }

    [Fact]
    public async Task Nobody_is_warned_about_scopes_their_role_uses()
    {
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, _) = await this.OpenDialogAsync(new DialogParameters<CreateKeyDialog>());
        dialog.WaitForElement("form#create-key-form");

        dialog.Find("input[aria-label='All keys scopes']").Change(true);
        dialog.Find("input[aria-label='All members scopes']").Change(true);

        Assert.Empty(Warnings(dialog));
        dialog.Find("input[aria-label='Write workspace']").Change(true);
        Assert.Contains("The key acts as admin@acme.test, an admin, whose role can never use workspace:write", Assert.Single(Warnings(dialog)));
    }

    private static async Task ChooseOwnerAsync(IRenderedComponent<MudDialogProvider> dialog, string email)
    {
        var picker = dialog.FindComponent<MudAutocomplete<MemberSummary>>();
        var member = (await picker.Instance.SearchFunc!(email, CancellationToken.None)).Single();
        await dialog.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(member));
    }

    private static List<string> Warnings(IRenderedComponent<MudDialogProvider> dialog) =>
        dialog.FindAll(".mud-alert-text-warning").Select(a => a.TextContent.Trim()).Where(t => t.Contains("can never use")).ToList();
}
