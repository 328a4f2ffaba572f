using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KeyDashboard.Tests.Members.Components;

/// <summary>The members page asks before cancelling an invitation, and says what each change did.</summary>
public sealed class MembersPageAnswersTests : ComponentTestContext
{
    private const string Invitee = "invitee@acme.test";

    [Fact]
    public async Task Cancelling_an_invitation_asks_first_and_keeping_it_changes_nothing()
    {
        await Database.InviteAsync(Invitee);
        var (page, dialogs, snackbars) = RenderPage();

        page.WaitForElement($"button[aria-label='Cancel invitation of {Invitee}']").Click();

        dialogs.WaitForAssertion(() => Assert.Contains($"Cancel the invitation to {Invitee}? Its link stops working at once", dialogs.Markup));
        dialogs.Button("Keep invitation").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Equal(1, await PendingInvitationsAsync());
        Assert.Empty(snackbars.FindAll(".mud-snackbar"));
        Assert.Contains(Invitee, page.Find("[aria-label='Pending invitations']").TextContent);
    }

    [Fact]
    public async Task Cancelling_an_invitation_once_confirmed_says_so()
    {
        await Database.InviteAsync(Invitee);
        var (page, dialogs, snackbars) = RenderPage();

        page.WaitForElement($"button[aria-label='Cancel invitation of {Invitee}']").Click();
        dialogs.WaitForAssertion(() => dialogs.Button("Cancel invitation"));
        dialogs.Button("Cancel invitation").Click();

        snackbars.WaitForAssertion(() => Assert.Equal($"Invitation to {Invitee} cancelled: its link no longer works.",
            snackbars.Find(".mud-snackbar-content-message").TextContent.Trim()));
        Assert.Equal(0, await PendingInvitationsAsync());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-label='Pending invitations']")));
    }

    [Fact]
    public void Changing_a_role_says_the_new_role()
    {
        var (page, dialogs, snackbars) = RenderPage();

        page.Find($"button[aria-label='Change role of {Database.Member.Email}']").Click();
        dialogs.WaitForElement("input[type='radio']");
        dialogs.FindAll("label").First(l => l.TextContent.Trim() == Roles.Admin).QuerySelector("input")!.Click();
        dialogs.Button("Change role").Click();

        snackbars.WaitForAssertion(() => Assert.Equal($"{Database.Member.Email} is now admin.",
            snackbars.Find(".mud-snackbar-content-message").TextContent.Trim()));
    }

    [Fact]
    public void The_last_owners_disabled_actions_describe_why()
    {
        var (page, _, _) = RenderPage();

        var changeRole = page.Find($"button[aria-label='Change role of {Database.Owner.Email}']");

        Assert.True(changeRole.IsDisabled());
        Assert.Equal(Permissions.LastOwnerRefusal, page.Find($"#{changeRole.GetAttribute("aria-describedby")}").TextContent.Trim());
        var leave = page.Find("button[aria-label='Leave workspace']");
        Assert.Equal(Permissions.LastOwnerRefusal, page.Find($"#{leave.GetAttribute("aria-describedby")}").TextContent.Trim());
    }

    private (IRenderedComponent<MembersPage>, IRenderedComponent<MudDialogProvider>, IRenderedComponent<MudSnackbarProvider>) RenderPage()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        var page = Render<MembersPage>();
        page.WaitForElement("button[aria-label='Leave workspace']");
        return (page, dialogs, snackbars);
    }

    private async Task<int> PendingInvitationsAsync()
    {
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        return await db.Invitations.CountAsync();
    }
}
