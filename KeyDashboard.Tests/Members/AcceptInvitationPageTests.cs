using System.Net;
using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Members;

/// <summary>The page an invitation link opens, over HTTP like a browser: it renders statically, with antiforgery-protected forms.</summary>
public sealed class AcceptInvitationPageTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task A_new_person_sets_a_password_and_lands_in_the_workspace()
    {
        var email = $"new-{Guid.NewGuid():N}@acme.test";
        var path = await InviteAsync(email, Roles.Admin);
        var browser = app.CreateBrowser();

        var page = await browser.GetStringAsync(path);
        var response = await browser.SubmitFormAsync(path, "create-account", new()
        {
            ["Input.Password"] = "Invitee-password-1",
            ["Input.ConfirmPassword"] = "Invitee-password-1",
        });

        Assert.Contains("Join <strong>Acme</strong> as admin.", page);
        Assert.Equal("/", response.RedirectPath());
        Assert.Contains("as a member of Acme,", await browser.GetStringAsync("/"));
        Assert.Equal(Roles.Admin, await app.RoleOfAsync(await UserAsync(email)));
    }

    [Fact]
    public async Task A_short_password_is_refused_and_creates_no_account()
    {
        var email = $"new-{Guid.NewGuid():N}@acme.test";
        var path = await InviteAsync(email);
        var browser = app.CreateBrowser();

        var response = await browser.SubmitFormAsync(path, "create-account", new()
        {
            ["Input.Password"] = "short",
            ["Input.ConfirmPassword"] = "short",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("at least 12", await response.Content.ReadAsStringAsync());
        await using var db = await app.DbFactory.CreateDbContextAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
        Assert.True((await app.Services.CreateScope().ServiceProvider.GetRequiredService<MembershipService>().PreviewInvitationAsync(TokenOf(path))).Succeeded);
    }

    [Fact]
    public async Task Someone_who_registered_after_the_invitation_accepts_it_signed_in()
    {
        var email = $"new-{Guid.NewGuid():N}@acme.test";
        var path = await InviteAsync(email);
        var browser = app.CreateBrowser();
        var registered = await browser.SubmitFormAsync("/Account/Register", "register", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Invitee-password-1",
            ["Input.ConfirmPassword"] = "Invitee-password-1",
        });
        Assert.Equal("/", registered.RedirectPath());

        var response = await browser.SubmitFormAsync(path, "accept-invitation", []);

        Assert.Equal("/", response.RedirectPath());
        Assert.Equal(Roles.Member, await app.RoleOfAsync(await UserAsync(email)));
        Assert.Contains("as a member of Acme,", await browser.GetStringAsync("/"));
    }

    [Fact]
    public async Task Someone_signed_in_with_another_address_cannot_accept()
    {
        var email = $"new-{Guid.NewGuid():N}@acme.test";
        var path = await InviteAsync(email);
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Member.Email!);

        var page = await browser.GetStringAsync(path);

        Assert.Contains($"You are logged in as {app.World.Member.Email}.", page);
        Assert.DoesNotContain("accept-invitation", page);
        Assert.DoesNotContain("create-account", page);
    }

    [Fact]
    public async Task Someone_with_an_account_logs_in_from_the_link_and_then_accepts()
    {
        var invitee = await app.AddUserAsync();
        var path = await InviteAsync(invitee.Email!, Roles.Admin);
        var browser = app.CreateBrowser();

        var signedOut = await browser.GetStringAsync(path);
        await browser.SignInOrFailAsync(invitee.Email!);
        Assert.Null(await app.RoleOfAsync(invitee));
        var response = await browser.SubmitFormAsync(path, "accept-invitation", []);

        Assert.Contains("Log in to accept", signedOut);
        Assert.DoesNotContain("create-account", signedOut);
        Assert.Equal("/", response.RedirectPath());
        Assert.Equal(Roles.Admin, await app.RoleOfAsync(invitee));
        Assert.Contains("as a member of Acme,", await browser.GetStringAsync("/"));
    }

    [Fact]
    public async Task Declining_through_the_link_joins_nothing_and_the_link_stops_working()
    {
        var invitee = await app.AddUserAsync();
        var path = await InviteAsync(invitee.Email!);
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(invitee.Email!);

        var response = await browser.SubmitFormAsync(path, "decline-invitation", []);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You declined the invitation to join <strong>Acme</strong>.", await response.Content.ReadAsStringAsync());
        Assert.Null(await app.RoleOfAsync(invitee));
        Assert.Contains("This invitation link is not valid.", await browser.GetStringAsync(path));
        Assert.Single(await app.AuditEntriesAsync(KeyDashboard.Audit.AuditActions.InvitationDeclined), e => e.ActorId == invitee.Id);
    }

    [Fact]
    public async Task Ten_accepts_posted_at_once_make_one_membership_and_no_error()
    {
        var invitee = await app.AddUserAsync();
        var path = await InviteAsync(invitee.Email!);
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(invitee.Email!);
        var form = AccountForms.FormFields(await browser.GetStringAsync(path), "accept-invitation");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => browser.PostAsync(path, new FormUrlEncodedContent(form))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect && r.RedirectPath() == "/");
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Redirect))
        {
            Assert.Equal(HttpStatusCode.OK, loser.StatusCode);
            Assert.Matches("accepted already|not valid", await loser.Content.ReadAsStringAsync());
        }
        await using var db = await app.DbFactory.CreateDbContextAsync();
        Assert.Equal(1, await db.Memberships.CountAsync(m => m.UserId == invitee.Id));
    }

    [Fact]
    public async Task Registering_an_address_one_does_not_hold_neither_confirms_it_nor_shows_its_invitations()
    {
        var email = $"new-{Guid.NewGuid():N}@acme.test";
        await InviteAsync(email);
        var confirmed = await app.AddUserAsync();
        await InviteAsync(confirmed.Email!);
        var attacker = app.CreateBrowser();
        var registered = await attacker.SubmitFormAsync("/Account/Register", "register", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Attacker-password-1",
            ["Input.ConfirmPassword"] = "Attacker-password-1",
        });
        Assert.Equal("/", registered.RedirectPath());
        var invitee = app.CreateBrowser();
        await invitee.SignInOrFailAsync(confirmed.Email!);

        var confirmation = await attacker.GetStringAsync($"/Account/RegisterConfirmation?email={Uri.EscapeDataString(email)}");
        var attackersDashboard = await attacker.GetStringAsync("/");

        Assert.DoesNotContain("ConfirmEmail", confirmation);
        Assert.False((await UserAsync(email)).EmailConfirmed);
        Assert.DoesNotContain("invited you to join", attackersDashboard);
        Assert.Contains("invited you to join <strong>Acme</strong> as member.", await invitee.GetStringAsync("/"));
    }

    [Theory]
    [InlineData("/Account/AcceptInvitation")]
    [InlineData("/Account/AcceptInvitation?token=not-a-token")]
    public async Task A_bad_link_says_so(string path)
    {
        var page = await app.CreateBrowser().GetStringAsync(path);

        Assert.Contains("This invitation link is not valid.", page);
        Assert.DoesNotContain("<form", page);
    }

    /// <summary>The owner of Acme invites <paramref name="email"/>; returns the link's path.</summary>
    private async Task<string> InviteAsync(string email, string role = Roles.Member) =>
        "/" + AcceptInvitation.PathFor(await app.InviteAsync(email, role));

    private static string TokenOf(string path) => path[(path.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];

    private async Task<ApplicationUser> UserAsync(string email)
    {
        await using var db = await app.DbFactory.CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
    }
}
