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
