using System.Net;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Sessions;

/// <summary>Logging out ends the session on the server: a copy of the cookie taken before is worth nothing after.</summary>
public sealed class LogoutTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task A_cookie_copied_before_logout_gets_the_login_page_and_no_audit_export_after_it()
    {
        var owner = await SessionBrowser.SignedInAsync(app, app.World.Owner.Email!);
        var copied = SessionBrowser.Replaying(app, owner.SessionCookie);
        Assert.Equal(HttpStatusCode.OK, (await copied.GetAsync("/audit/export.csv")).StatusCode);

        var logout = await owner.LogOutAsync();

        Assert.Equal("/", logout.RedirectPath());
        var export = await copied.GetAsync("/audit/export.csv");
        Assert.Equal(HttpStatusCode.Unauthorized, export.StatusCode);
        Assert.DoesNotContain("auth.signed_in", await export.Content.ReadAsStringAsync());
        Assert.False(await SessionBrowser.IsSignedInAsync(copied));
    }

    [Fact]
    public async Task Logout_deletes_the_session_row_and_only_that_one()
    {
        var user = await app.AddMemberAsync(Roles.Member);
        var first = await SessionBrowser.SignedInAsync(app, user.Email!);
        var second = await SessionBrowser.SignedInAsync(app, user.Email!);
        Assert.Equal(2, await SessionCountAsync(user.Id));

        await first.LogOutAsync();

        Assert.Equal(1, await SessionCountAsync(user.Id));
        Assert.False(await SessionBrowser.IsSignedInAsync(first.Client));
        Assert.True(await SessionBrowser.IsSignedInAsync(second.Client));
    }

    [Fact]
    public async Task Signing_in_on_a_browser_still_signed_in_works_at_the_first_try_under_a_new_session()
    {
        var user = await app.AddMemberAsync(Roles.Member);
        var browser = await SessionBrowser.SignedInAsync(app, user.Email!);
        var before = browser.SessionCookie;

        await browser.Client.SignInOrFailAsync(user.Email!);

        Assert.True(await SessionBrowser.IsSignedInAsync(browser.Client));
        Assert.NotEqual(before, browser.SessionCookie);
        Assert.False(await SessionBrowser.IsSignedInAsync(SessionBrowser.Replaying(app, before)));
        Assert.Equal(1, await SessionCountAsync(user.Id));
    }

    private async Task<int> SessionCountAsync(string userId)
    {
        await using var db = await app.DbFactory.CreateDbContextAsync();
        return await db.UserSessions.CountAsync(s => s.UserId == userId);
    }
}
