using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed class OwnerInvitesMemberJourneyTests(DashboardServer server) : BrowserTest(server)
{
    private const string Invitee = "new.hire@example.com";

    [BrowserFact]
    public async Task The_owner_invites_a_new_member_who_sets_a_password_and_is_promoted_to_admin()
    {
        var owner = await Server.SignInAsync("owner@example.com");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        await Assertions.Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(owner.GetByRole(AriaRole.Row).Filter(new() { HasText = "member@example.com" })).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(owner, "members-page-owner");

        // Invite: the link is shown once, in the dialog, and nowhere after it closes.
        await owner.GetByRole(AriaRole.Button, new() { Name = "Invite member" }).ClickAsync();
        var dialog = owner.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("E-mail").FillAsync(Invitee);
        await DashboardPage.ScreenshotAsync(owner, "invite-member-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Invite member" }).ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("This is the only time this link is shown.");
        var link = await dialog.Locator("code.copyable-value").InnerTextAsync();
        Assert.StartsWith(Server.BaseAddress + "Account/AcceptInvitation?token=", link);
        await DashboardPage.ScreenshotAsync(owner, "invite-member-link");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        var pending = owner.GetByRole(AriaRole.Row).Filter(new() { HasText = Invitee });
        await Assertions.Expect(pending).ToContainTextAsync("owner@example.com");
        Assert.DoesNotContain(new Uri(link).Query, await owner.ContentAsync());

        // The invitee opens the link in their own browser and sets a password.
        var inviteeContext = await Server.NewContextAsync();
        var invitee = await inviteeContext.NewPageAsync();
        await invitee.GotoAsync(link);
        await Assertions.Expect(invitee.GetByRole(AriaRole.Heading, new() { Name = "Join Demo as member." })).ToBeVisibleAsync();
        await invitee.GetByLabel("Password", new() { Exact = true }).FillAsync("Invitee-password-1");
        await invitee.GetByLabel("Confirm password").FillAsync("Invitee-password-1");
        await DashboardPage.ScreenshotAsync(invitee, "accept-invitation");
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Create account and join" }).ClickAsync();
        await Assertions.Expect(invitee.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(invitee.GetByText("as a member of Demo,")).ToBeVisibleAsync();
        var create = invitee.GetByRole(AriaRole.Button, new() { Name = "Create API key" });
        await Assertions.Expect(create).ToBeDisabledAsync();

        // The link worked once.
        var reuse = await inviteeContext.NewPageAsync();
        await reuse.GotoAsync(link);
        await Assertions.Expect(reuse.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        // Back to the first tab: Chromium throttles a tab in the background, and every action there would crawl.
        await reuse.CloseAsync();
        await invitee.BringToFrontAsync();

        // The owner promotes them; their open page gains the admin's actions without a reload.
        // Away and back within the open circuit: the list loads afresh.
        await owner.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await owner.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        var row = owner.GetByRole(AriaRole.Row).Filter(new() { HasText = Invitee });
        await row.GetByRole(AriaRole.Button, new() { Name = $"Change role of {Invitee}" }).ClickAsync();
        var changeRole = owner.GetByRole(AriaRole.Dialog);
        await changeRole.GetByRole(AriaRole.Radio, new() { Name = "admin" }).CheckAsync();
        await Assertions.Expect(changeRole.GetByRole(AriaRole.Button, new() { Name = "Change role" })).ToBeEnabledAsync();
        await DashboardPage.ScreenshotAsync(owner, "change-role-dialog");
        await changeRole.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("admin");
        await Assertions.Expect(owner.GetByRole(AriaRole.Row).Filter(new() { HasText = "Pending" })).ToHaveCountAsync(0);
        await Assertions.Expect(create).ToBeEnabledAsync();

        await owner.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Assertions.Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "API access" })).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(owner, "settings-page-owner");

        // The new admin finds a key that leaked (the owner's, say, pasted into a ticket) and revokes it.
        var leaked = await IssueOwnersKeyAsync("ticket-4711-leak");
        await invitee.GetByRole(AriaRole.Link, new() { Name = "Find a leaked key" }).ClickAsync();
        await invitee.GetByLabel("Text or key", new() { Exact = true }).FillAsync(leaked);
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        var match = invitee.GetByLabel("Matching key ticket-4711-leak", new() { Exact = true });
        await Assertions.Expect(match).ToContainTextAsync("This is the key ticket-4711-leak");
        await match.GetByRole(AriaRole.Button, new() { Name = "Revoke now" }).ClickAsync();
        var revoke = invitee.GetByRole(AriaRole.Dialog, new() { Name = "Revoke ticket-4711-leak" });
        await revoke.GetByLabel("Reason").FillAsync("Pasted in support ticket 4711");
        await revoke.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Assertions.Expect(match).ToContainTextAsync("This key is revoked");

        // The owner's audit CSV holds what this journey did, by whom.
        var export = await owner.APIRequest.GetAsync("/audit/export.csv");
        Assert.Equal(200, export.Status);
        var rows = Csv.Parse(await export.TextAsync());
        Assert.DoesNotContain(rows, row => row.Any(cell => cell.Contains(leaked)));
        string[] Row(string action, string actor) =>
            Assert.Single(rows, row => row[4] == action && row[2] == actor && (row[6] == Invitee || row[6] == "ticket-4711-leak")).ToArray();
        Row(AuditActions.MemberInvited, "owner@example.com");
        Row(AuditActions.InvitationAccepted, Invitee);
        Row(AuditActions.MemberRoleChanged, "owner@example.com");
        Row(AuditActions.KeyLookup, Invitee);
        Assert.Contains("Pasted in support ticket 4711", Row(AuditActions.KeyRevoked, Invitee)[9]);
    }

    [BrowserFact]
    public async Task The_owner_invites_someone_with_an_account_who_joins_only_by_accepting_on_the_dashboard()
    {
        const string existing = "other@example.com";
        var owner = await Server.SignInAsync("owner@example.com");
        await DashboardPage.NavigateAsync(owner, "Members");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Invite member" }).ClickAsync();
        var dialog = owner.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("E-mail").FillAsync(existing);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Invite member" }).ClickAsync();
        // The same link dialog as for a new address: the owner cannot tell that an account exists.
        await Assertions.Expect(dialog).ToContainTextAsync("This is the only time this link is shown.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(owner.GetByRole(AriaRole.Row).Filter(new() { HasText = existing })).ToContainTextAsync("owner@example.com");
        var demo = await Server.WorkspaceAsync("Demo");
        var user = await Server.UserAsync(existing);
        await using (var db = await Server.DbFactory.CreateDbContextAsync())
            Assert.False(await db.Memberships.AnyAsync(m => m.WorkspaceId == demo.Id && m.UserId == user.Id));

        var invitee = await Server.SignInAsync(existing);
        var banner = invitee.GetByRole(AriaRole.Region, new() { Name = "Invitations" });
        await Assertions.Expect(banner).ToContainTextAsync("owner@example.com invited you to join Demo as member. You join only if you accept.");
        await Assertions.Expect(invitee.GetByText("as a member of Other,")).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(invitee, "invitation-banner");
        Axe.AssertNone(await Axe.SeriousViolationsAsync(banner, "the invitations banner"));
        await banner.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        await Assertions.Expect(invitee.GetByText("as a member of Demo,")).ToBeVisibleAsync();
        await DashboardPage.WaitForKeysAsync(invitee);
        await Assertions.Expect(invitee.GetByRole(AriaRole.Button, new() { Name = "Demo: switch workspace" })).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        await using (var db = await Server.DbFactory.CreateDbContextAsync())
            Assert.Equal(Roles.Member, (await db.Memberships.SingleAsync(m => m.WorkspaceId == demo.Id && m.UserId == user.Id)).Role);
    }

    private async Task<string> IssueOwnersKeyAsync(string name)
    {
        var owner = await Server.UserAsync("owner@example.com");
        var workspace = await Server.WorkspaceAsync("Demo");
        await using var scope = Server.Services.CreateAsyncScope();
        var issued = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(new Actor(owner.Id, owner.Email!), workspace.Id,
            new CreateKeyRequest { Name = name, OwnerUserId = owner.Id, Environment = KeyEnvironment.Test, Scopes = ["keys:read"] });
        return issued.Value!.Secret;
    }
}
