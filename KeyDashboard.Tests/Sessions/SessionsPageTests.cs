using System.Net;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Sessions;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Sessions;

/// <summary>The account's sessions page: each session the user has, and ending one or all others.</summary>
public sealed class SessionsPageTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private const string Page = "/Account/Manage/Sessions";

    [Fact]
    public async Task The_page_lists_each_session_with_its_browser_address_and_which_one_is_this()
    {
        var user = await app.AddMemberAsync(Roles.Member);
        var phone = await SessionBrowser.SignedInAsync(app, user.Email!, SessionBrowser.SafariOnIPhone);
        var laptop = await SessionBrowser.SignedInAsync(app, user.Email!);
        var someoneElse = await SessionBrowser.SignedInAsync(app, (await app.AddMemberAsync(Roles.Member)).Email!, "curl/8.5.0");

        var html = await laptop.Client.GetStringAsync(Page);

        Assert.Contains("Chrome on Windows", html);
        Assert.Contains("Safari on iOS", html);
        Assert.DoesNotContain("Unknown browser", html);
        Assert.Contains(KeyDashboardFactory.DefaultClientAddress, html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "This session"));
        var mine = await SessionsOfAsync(user.Id);
        var phoneSession = mine.Single(s => s.UserAgent == SessionBrowser.SafariOnIPhone);
        var laptopSession = mine.Single(s => s.UserAgent == SessionBrowser.ChromeOnWindows);
        // The end button is on the other session's row, not on this one's.
        Assert.Contains($"value=\"{phoneSession.Id}\"", html);
        Assert.DoesNotContain($"value=\"{laptopSession.Id}\"", html);
        Assert.Contains("End all other sessions", html);
        Assert.Contains("href=\"Account/Manage/Sessions\"", html);
        Assert.True(await SessionBrowser.IsSignedInAsync(phone.Client));
        Assert.True(await SessionBrowser.IsSignedInAsync(someoneElse.Client));
    }

    [Fact]
    public async Task Ending_a_session_from_the_page_signs_its_cookie_out_and_is_audited()
    {
        var user = await app.AddMemberAsync(Roles.Member);
        var stolen = await SessionBrowser.SignedInAsync(app, user.Email!, SessionBrowser.SafariOnIPhone);
        var copied = SessionBrowser.Replaying(app, stolen.SessionCookie);
        var laptop = await SessionBrowser.SignedInAsync(app, user.Email!);
        var target = (await SessionsOfAsync(user.Id)).Single(s => s.UserAgent == SessionBrowser.SafariOnIPhone);

        var response = await EndSessionAsync(laptop, target.Id);

        Assert.Equal(Page, response.RedirectPath());
        Assert.Contains("The session was ended.", await laptop.Client.GetStringAsync(Page));
        Assert.False(await SessionBrowser.IsSignedInAsync(copied));
        Assert.False(await SessionBrowser.IsSignedInAsync(stolen.Client));
        Assert.True(await SessionBrowser.IsSignedInAsync(laptop.Client));
        var entry = Assert.Single(await EndedEntriesAsync(user.Id));
        Assert.Equal(app.World.Workspace.Id, entry.WorkspaceId);
        Assert.Equal(target.Id.ToString(), entry.TargetId);
        Assert.Equal(user.Email, entry.ActorName);
        Assert.Equal("{\"reason\":\"ended_by_user\"}", entry.Details);
        Assert.Equal(KeyDashboardFactory.DefaultClientAddress, entry.ClientAddress);
    }

    [Fact]
    public async Task Ending_another_users_session_by_its_id_changes_nothing()
    {
        var victim = await app.AddMemberAsync(Roles.Owner);
        var victimBrowser = await SessionBrowser.SignedInAsync(app, victim.Email!);
        var victimSession = Assert.Single(await SessionsOfAsync(victim.Id));
        var attacker = await app.AddMemberAsync(Roles.Member);
        var attackerBrowser = await SessionBrowser.SignedInAsync(app, attacker.Email!);
        // A second session of the attacker's own, so the page renders the form with an end button to tamper with.
        await SessionBrowser.SignedInAsync(app, attacker.Email!, SessionBrowser.SafariOnIPhone);

        var response = await EndSessionAsync(attackerBrowser, victimSession.Id);

        Assert.Equal(Page, response.RedirectPath());
        Assert.Contains("Error: That session has already ended.", await attackerBrowser.Client.GetStringAsync(Page));
        Assert.True(await SessionBrowser.IsSignedInAsync(victimBrowser.Client));
        Assert.Single(await SessionsOfAsync(victim.Id));
        Assert.Equal(2, (await SessionsOfAsync(attacker.Id)).Count);
        Assert.Empty(await EndedEntriesAsync(victim.Id));
        Assert.Empty(await EndedEntriesAsync(attacker.Id));
    }

    [Fact]
    public async Task End_all_other_sessions_keeps_only_this_one()
    {
        var user = await app.AddMemberAsync(Roles.Admin);
        var others = new[]
        {
            await SessionBrowser.SignedInAsync(app, user.Email!, SessionBrowser.SafariOnIPhone),
            await SessionBrowser.SignedInAsync(app, user.Email!, "curl/8.5.0"),
        };
        var laptop = await SessionBrowser.SignedInAsync(app, user.Email!);
        var bystander = await SessionBrowser.SignedInAsync(app, (await app.AddMemberAsync(Roles.Member)).Email!);

        var response = await laptop.Client.SubmitFormAsync(Page, "end-other-sessions", []);

        Assert.Equal(Page, response.RedirectPath());
        var html = await laptop.Client.GetStringAsync(Page);
        Assert.Contains("All other sessions were ended.", html);
        Assert.DoesNotContain("End all other sessions", html);
        foreach (var other in others) Assert.False(await SessionBrowser.IsSignedInAsync(other.Client));
        Assert.True(await SessionBrowser.IsSignedInAsync(laptop.Client));
        Assert.True(await SessionBrowser.IsSignedInAsync(bystander.Client));
        Assert.Single(await SessionsOfAsync(user.Id));
        Assert.Equal(2, (await EndedEntriesAsync(user.Id)).Count);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_ends_nothing()
    {
        var user = await app.AddMemberAsync(Roles.Member);
        var phone = await SessionBrowser.SignedInAsync(app, user.Email!, SessionBrowser.SafariOnIPhone);
        var laptop = await SessionBrowser.SignedInAsync(app, user.Email!);
        var target = (await SessionsOfAsync(user.Id)).Single(s => s.UserAgent == SessionBrowser.SafariOnIPhone);

        var response = await laptop.Client.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "end-session",
            ["EndSessionId"] = target.Id.ToString(),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(await SessionBrowser.IsSignedInAsync(phone.Client));
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_log_in()
    {
        var response = await app.CreateBrowser().GetAsync(Page);

        Assert.Equal("/Account/Login", response.RedirectPath());
    }

    /// <summary>Presses a session's "End session" button, or forges one with <paramref name="sessionId"/> in its value.</summary>
    private static async Task<HttpResponseMessage> EndSessionAsync(SessionBrowser browser, Guid sessionId)
    {
        var form = AccountForms.FormFields(await browser.Client.GetStringAsync(Page), "end-session");
        form["EndSessionId"] = sessionId.ToString();
        return await browser.Client.PostAsync(Page, new FormUrlEncodedContent(form));
    }

    private async Task<List<UserSession>> SessionsOfAsync(string userId)
    {
        await using var db = await app.DbFactory.CreateDbContextAsync();
        return await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId).ToListAsync();
    }

    private async Task<List<AuditEntry>> EndedEntriesAsync(string userId) =>
        (await app.AuditEntriesAsync()).Where(e => e.ActorId == userId && e.Action == AuditActions.SessionEnded).ToList();
}
