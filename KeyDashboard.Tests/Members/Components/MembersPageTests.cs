using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KeyDashboard.Tests.Members.Components;

public sealed class MembersPageTests : ComponentTestContext
{
    [Fact]
    public void An_owner_manages_everyone_but_cannot_demote_or_remove_the_last_owner()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = RenderPage();

        Assert.False(page.Button("Invite member").IsDisabled());
        foreach (var other in new[] { Database.Admin, Database.Member })
        {
            Assert.False(ChangeRole(page, other).IsDisabled());
            Assert.False(page.Find($"button[aria-label='Remove {other.Email}']").IsDisabled());
        }
        Assert.True(ChangeRole(page, Database.Owner).IsDisabled());
        Assert.True(page.Find("button[aria-label='Leave workspace']").IsDisabled());
        Assert.Equal(2, Reasons(page).Count(r => r == Permissions.LastOwnerRefusal));
    }

    [Fact]
    public void An_admin_adds_and_removes_members_only_and_changes_no_roles()
    {
        this.SignInAs(Database, Database.Admin, Roles.Admin);

        var page = RenderPage();

        Assert.False(page.Button("Invite member").IsDisabled());
        Assert.All(new[] { Database.Owner, Database.Admin, Database.Member }, user => Assert.True(ChangeRole(page, user).IsDisabled()));
        Assert.False(page.Find($"button[aria-label='Remove {Database.Member.Email}']").IsDisabled());
        Assert.True(page.Find($"button[aria-label='Remove {Database.Owner.Email}']").IsDisabled());
        Assert.False(page.Find("button[aria-label='Leave workspace']").IsDisabled());
        Assert.Contains(Permissions.Refusal(Permission.ChangeRoles), Reasons(page));
        Assert.Contains(Permissions.AdminRemoveRefusal, Reasons(page));
    }

    [Fact]
    public void A_member_sees_the_list_with_the_actions_disabled_and_the_reason()
    {
        this.SignInAs(Database, Database.Member, Roles.Member);
        var popovers = Render<MudPopoverProvider>();

        var page = RenderPage();

        Assert.Equal(["admin@acme.test", "member@acme.test", "owner@acme.test"], Emails(page));
        var invite = page.Button("Invite member");
        Assert.True(invite.IsDisabled());
        Assert.True(page.Find($"button[aria-label='Remove {Database.Admin.Email}']").IsDisabled());
        Assert.False(page.Find("button[aria-label='Leave workspace']").IsDisabled());
        invite.Closest(".mud-tooltip-root")!.PointerEnter(new PointerEventArgs());
        popovers.WaitForAssertion(() => Assert.Contains(Permissions.Refusal(Permission.ManageMembers), popovers.Markup));
    }

    [Fact]
    public async Task Inviting_a_new_address_shows_the_link_once_and_lists_the_pending_invitation()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();
        var dialogs = Render<MudDialogProvider>();

        page.Button("Invite member").Click();
        dialogs.WaitForElement("form#invite-member-form");
        dialogs.Field("E-mail").Input("new.person@acme.test");
        dialogs.Find("form#invite-member-form").Submit();

        var link = dialogs.WaitForElement("code.copyable-value").TextContent;
        Assert.Contains("This is the only time this link is shown.", dialogs.Markup);
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];
        await using (var db = await Database.DbFactory.CreateDbContextAsync())
            Assert.Equal(InvitationToken.Hash(token), (await db.Invitations.SingleAsync()).TokenHash);

        dialogs.Button("Done").Click();
        page.WaitForAssertion(() => Assert.Contains("new.person@acme.test", page.Find("table[aria-label='Pending invitations'], .mud-table:last-of-type").TextContent));
        Assert.DoesNotContain(token, dialogs.Markup + page.Markup);
    }

    [Fact]
    public async Task Inviting_someone_with_an_account_shows_exactly_what_inviting_a_new_address_shows()
    {
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var page = RenderPage();
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();

        var forAccount = Invite(page, dialogs, snackbars, Database.Outsider.Email!);
        var forNewAddress = Invite(page, dialogs, snackbars, "nobody.yet@nowhere.test");

        Assert.Equal(forNewAddress, forAccount);
        Assert.Contains("{email} is invited and joins once they accept.", forAccount.Snackbar);
        Assert.DoesNotContain(Database.Outsider.Email!, Emails(page));
        Assert.Null(await Database.RoleOfAsync(Database.Outsider));
        page.WaitForAssertion(() => Assert.Contains(Database.Outsider.Email!, page.Find("[aria-label='Pending invitations']").TextContent));
    }

    /// <summary>Invites <paramref name="email"/> as a member: what the link dialog and then the snackbar said, with the address and link masked.</summary>
    private static (string Dialog, string Snackbar) Invite(IRenderedComponent<MembersPage> page, IRenderedComponent<MudDialogProvider> dialogs,
        IRenderedComponent<MudSnackbarProvider> snackbars, string email)
    {
        page.Button("Invite member").Click();
        dialogs.WaitForElement("form#invite-member-form");
        dialogs.Field("E-mail").Input(email);
        dialogs.Find("form#invite-member-form").Submit();
        var link = dialogs.WaitForElement("code.copyable-value").TextContent;
        var dialog = dialogs.Find(".mud-dialog").TextContent.Replace(link, "{link}").Replace(email, "{email}");
        dialogs.Button("Done").Click();
        snackbars.WaitForAssertion(() => Assert.Contains($"{email} is invited", snackbars.Markup));
        var snackbar = snackbars.Find(".mud-snackbar:last-child").TextContent.Replace(email, "{email}");
        return (dialog, snackbar);
    }

    [Fact]
    public void An_admin_is_offered_only_the_member_role()
    {
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var page = RenderPage();
        var dialogs = Render<MudDialogProvider>();
        var popovers = Render<MudPopoverProvider>();

        page.Button("Invite member").Click();
        dialogs.WaitForElement("form#invite-member-form");
        dialogs.Find(".mud-select .mud-input-control-input-container").MouseDown();

        popovers.WaitForAssertion(() => Assert.Equal(3, popovers.FindAll(".mud-list-item").Count));
        var items = popovers.FindAll(".mud-list-item").ToDictionary(i => i.TextContent.Trim(), i => i.ClassList.Contains("mud-list-item-disabled"));
        Assert.Equal(new Dictionary<string, bool> { [Roles.Owner] = true, [Roles.Admin] = true, [Roles.Member] = false }, items);
    }

    [Fact]
    public async Task Removing_a_member_asks_first_and_then_takes_them_off_the_list()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();
        var dialogs = Render<MudDialogProvider>();

        page.Find($"button[aria-label='Remove {Database.Member.Email}']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("They lose access at once, and their API keys stop working.", dialogs.Markup));
        dialogs.Button("Remove").Click();

        page.WaitForAssertion(() => Assert.DoesNotContain(Database.Member.Email!, Emails(page)));
        Assert.Null(await Database.RoleOfAsync(Database.Member));
    }

    [Fact]
    public async Task Changing_a_role_through_the_dialog()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var page = RenderPage();
        var dialogs = Render<MudDialogProvider>();

        ChangeRole(page, Database.Member).Click();
        dialogs.WaitForElement("input[type='radio']");
        dialogs.FindAll("label").First(l => l.TextContent.Trim() == Roles.Admin).QuerySelector("input")!.Click();
        dialogs.Button("Change role").Click();

        await page.WaitForAssertionAsync(async () => Assert.Equal(Roles.Admin, await Database.RoleOfAsync(Database.Member)));
        page.WaitForAssertion(() => Assert.Contains(Roles.Admin, page.Find($"tr:has(button[aria-label='Remove {Database.Member.Email}'])").TextContent));
    }

    [Fact]
    public void The_actions_follow_a_role_change_without_a_reload()
    {
        var authorization = this.SignInAs(Database, Database.Admin, Roles.Admin);
        var page = RenderPage();
        Assert.False(page.Button("Invite member").IsDisabled());

        // As the session's authentication state provider does when the owner demotes them.
        authorization.SetRoles(Roles.Member);
        authorization.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, Database.Admin.Id),
            new Claim(WorkspaceClaims.WorkspaceIdType, Database.Workspace.Id.ToString()),
            new Claim(WorkspaceClaims.WorkspaceNameType, Database.Workspace.Name));

        page.WaitForAssertion(() => Assert.True(page.Button("Invite member").IsDisabled()));
    }

    [Fact]
    public async Task Under_the_requirement_an_owner_without_two_factor_manages_no_one_but_may_leave_and_is_told_why()
    {
        await Database.AddMemberAsync(Roles.Owner, email: "second.owner@acme.test");
        await Database.InviteAsync("invitee@acme.test");
        await Database.RequireTwoFactorAsync();
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var page = RenderPage();

        Assert.True(page.Button("Invite member").IsDisabled());
        foreach (var other in new[] { Database.Admin, Database.Member })
        {
            Assert.True(ChangeRole(page, other).IsDisabled());
            Assert.True(page.Find($"button[aria-label='Remove {other.Email}']").IsDisabled());
        }
        page.WaitForAssertion(() => Assert.True(page.Find("button[aria-label='Cancel invitation of invitee@acme.test']").IsDisabled()));
        Assert.False(page.Find("button[aria-label='Leave workspace']").IsDisabled());
        Assert.Contains(Permissions.RefusalFor(Roles.Owner, Permission.ChangeRoles, missingTwoFactor: true), Reasons(page));
        Assert.Contains(Permissions.RefusalFor(Roles.Owner, Permission.ManageMembers, missingTwoFactor: true), Reasons(page));
        var notice = page.Find(".mud-alert[aria-label='Two-factor authentication required']");
        Assert.Contains("Turn on two-factor authentication to manage members.", notice.TextContent);
        Assert.NotNull(notice.QuerySelector("a[href='Account/Manage/TwoFactorAuthentication']"));
    }

    private IRenderedComponent<MembersPage> RenderPage()
    {
        var page = Render<MembersPage>();
        page.WaitForElement("button[aria-label='Leave workspace']");
        return page;
    }

    private static IElement ChangeRole(IRenderedComponent<MembersPage> page, ApplicationUser user) =>
        page.Find($"button[aria-label='Change role of {user.Email}']");

    private static List<string> Emails(IRenderedComponent<MembersPage> page) =>
        page.FindAll("tr:has(button[aria-label^='Change role of'])").Select(r => r.QuerySelector("td")!.TextContent.Replace("you", "").Trim()).ToList();

    private static List<string> Reasons(IRenderedComponent<MembersPage> page) =>
        page.FindComponents<MudTooltip>().Select(t => t.Instance.Text).ToList();
}
