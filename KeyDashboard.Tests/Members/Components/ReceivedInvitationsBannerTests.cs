using Bunit;
using Bunit.TestDoubles;
using KeyDashboard.Audit;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KeyDashboard.Tests.Members.Components;

/// <summary>The dashboard's banner of the signed-in user's open invitations: they join only by pressing Accept.</summary>
public sealed class ReceivedInvitationsBannerTests : ComponentTestContext
{
    [Fact]
    public async Task Accepting_makes_them_a_member_and_reloads_into_the_workspace()
    {
        await Database.InviteAsync(Database.Outsider.Email!, Roles.Admin);
        this.SignInAs(Database, Database.Outsider, role: null);

        var banner = Render<ReceivedInvitationsBanner>();
        var alert = banner.WaitForElement(".mud-alert");

        Assert.Contains("owner@acme.test invited you to join Acme as admin. You join only if you accept.", Normalized(alert.TextContent));
        Assert.Null(await Database.RoleOfAsync(Database.Outsider));
        banner.Button("Accept").Click();

        var navigation = (BunitNavigationManager)Services.GetRequiredService<NavigationManager>();
        banner.WaitForAssertion(() => Assert.NotEmpty(navigation.History));
        var reload = Assert.Single(navigation.History);
        Assert.Equal(("/", true), (reload.Uri, reload.Options.ForceLoad));
        Assert.Equal(Roles.Admin, await Database.RoleOfAsync(Database.Outsider));
        Assert.Equal(Database.Workspace.Id, await Database.CurrentWorkspaceIdAsync(Database.Outsider));
        Assert.Single(await Database.AuditEntriesAsync(AuditActions.InvitationAccepted));
    }

    [Fact]
    public async Task Declining_takes_it_off_the_banner_and_joins_nothing()
    {
        await Database.InviteAsync(Database.Outsider.Email!);
        this.SignInAs(Database, Database.Outsider, role: null);
        var snackbars = Render<MudSnackbarProvider>();
        var banner = Render<ReceivedInvitationsBanner>();
        banner.WaitForElement(".mud-alert");

        banner.Find("button[aria-label='Decline the invitation to Acme']").Click();

        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll(".mud-alert")));
        Assert.Contains("You declined the invitation to Acme.", snackbars.Markup);
        Assert.Null(await Database.RoleOfAsync(Database.Outsider));
        Assert.Empty(((BunitNavigationManager)Services.GetRequiredService<NavigationManager>()).History);
        Assert.Equal(Database.Outsider.Id, Assert.Single(await Database.AuditEntriesAsync(AuditActions.InvitationDeclined)).ActorId);
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        Assert.Empty(await db.Invitations.ToListAsync());
    }

    [Fact]
    public async Task An_invitation_cancelled_while_shown_cannot_be_accepted_and_goes_away()
    {
        await Database.InviteAsync(Database.Outsider.Email!);
        this.SignInAs(Database, Database.Outsider, role: null);
        var snackbars = Render<MudSnackbarProvider>();
        var banner = Render<ReceivedInvitationsBanner>();
        banner.WaitForElement(".mud-alert");
        await using (var db = await Database.DbFactory.CreateDbContextAsync())
        {
            var invitation = await db.Invitations.SingleAsync();
            Assert.True((await Database.MembershipService().CancelInvitationAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, invitation.Id)).Succeeded);
        }

        banner.Button("Accept").Click();

        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll(".mud-alert")));
        Assert.Contains("This invitation is not open any more", snackbars.Markup);
        Assert.Null(await Database.RoleOfAsync(Database.Outsider));
    }

    [Fact]
    public async Task Someone_without_invitations_sees_no_banner()
    {
        await Database.InviteAsync("someone.else@nowhere.test");
        this.SignInAs(Database, Database.Outsider, role: null);

        var banner = Render<ReceivedInvitationsBanner>();

        Assert.Empty(banner.FindAll(".mud-alert"));
    }

    private static string Normalized(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
