using System.Net;
using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Members;

/// <summary>The page an invitation link opens, over HTTP like a browser: it renders statically, with antiforgery-protected forms.</summary>
public sealed class AcceptInvitationPageTests(DemoAppFactory app) : IClassFixture<DemoAppFactory>
{
    [Fact]
    public async Task A_new_person_sets_a_password_and_lands_in_the_workspace()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var path = await InviteAsync(email, Roles.Admin);
        var browser = app.CreateBrowser();

        var page = await browser.GetStringAsync(path);
        var response = await browser.SubmitFormAsync(path, "create-account", new()
        {
            ["Input.Password"] = "Invitee-password-1",
            ["Input.ConfirmPassword"] = "Invitee-password-1",
        });

        Assert.Contains("Join <strong>Demo</strong> as admin.", page);
        Assert.Equal("/", response.RedirectPath());
        Assert.Contains("as a member of Demo,", await browser.GetStringAsync("/"));
        Assert.Equal(Roles.Admin, await RoleInDemoAsync(email));
    }

    [Fact]
    public async Task A_short_password_is_refused_and_creates_no_account()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var path = await InviteAsync(email);
        var browser = app.CreateBrowser();

        var response = await browser.SubmitFormAsync(path, "create-account", new()
        {
            ["Input.Password"] = "short",
            ["Input.ConfirmPassword"] = "short",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("at least 12", await response.Content.ReadAsStringAsync());
        await using var db = await DbAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
        Assert.True((await app.Services.CreateScope().ServiceProvider.GetRequiredService<MembershipService>().PreviewInvitationAsync(TokenOf(path))).Succeeded);
    }

    [Fact]
    public async Task Someone_who_registered_after_the_invitation_accepts_it_signed_in()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
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
        Assert.Equal(Roles.Member, await RoleInDemoAsync(email));
        Assert.Contains("as a member of Demo,", await browser.GetStringAsync("/"));
    }

    [Fact]
    public async Task Someone_signed_in_with_another_address_cannot_accept()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var path = await InviteAsync(email);
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync("member@example.com");

        var page = await browser.GetStringAsync(path);

        Assert.Contains("You are logged in as member@example.com.", page);
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

    /// <summary>The owner of Demo invites <paramref name="email"/>; returns the link's path.</summary>
    private async Task<string> InviteAsync(string email, string role = Roles.Member)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var owner = await db.Users.SingleAsync(u => u.Email == "owner@example.com");
        var demo = await db.Workspaces.SingleAsync(w => w.Name == "Demo");
        var result = await scope.ServiceProvider.GetRequiredService<MembershipService>()
            .InviteAsync(new Actor(owner.Id, owner.Email!), demo.Id, new InviteRequest(email, role));
        Assert.True(result.Succeeded, result.Message);
        return "/" + AcceptInvitation.PathFor(result.Value!.Token ?? throw new InvalidOperationException($"{email} has an account already."));
    }

    private static string TokenOf(string path) => path[(path.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];

    private async Task<string?> RoleInDemoAsync(string email)
    {
        await using var db = await DbAsync();
        return await db.Memberships.Where(m => m.User.Email == email && m.Workspace.Name == "Demo").Select(m => m.Role).SingleOrDefaultAsync();
    }

    private Task<AppDbContext> DbAsync() => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
}
