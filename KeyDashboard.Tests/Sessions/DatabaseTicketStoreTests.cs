using System.Security.Cryptography;
using System.Text;
using KeyDashboard.Components.Account;
using KeyDashboard.Sessions;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.Sessions;

/// <summary>The sign-in cookie carries only a session key; the row, its hash and the ticket; on a fake clock.</summary>
public sealed class DatabaseTicketStoreTests : IAsyncLifetime
{
    // Whole seconds: the database keeps milliseconds, the ticket seconds.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private readonly KeyDashboardFactory _app;

    public DatabaseTicketStoreTests() =>
        _app = new KeyDashboardFactory { ConfigureServices = services => services.AddSingleton<TimeProvider>(_clock) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_cookie_holds_no_claims_only_the_session_key()
    {
        var user = await _app.AddMemberAsync(Roles.Owner);
        var browser = await SessionBrowser.SignedInAsync(_app, user.Email!);

        var cookie = browser.SessionCookie;
        var ticket = CookieFormat().Unprotect(cookie)!;

        var claim = Assert.Single(ticket.Principal.Claims);
        Assert.Equal("Microsoft.AspNetCore.Authentication.Cookies-SessionId", claim.Type);
        Assert.DoesNotContain(user.Email!, claim.Value);
        Assert.True(cookie.Length < 400, $"The cookie is {cookie.Length} characters long.");
        // At least 256 bits of key: 32 bytes, Base64Url-encoded.
        Assert.True(claim.Value.Length >= 43, claim.Value);
    }

    [Fact]
    public async Task The_row_holds_the_keys_hash_and_the_ticket_with_its_session_id_never_the_key()
    {
        var user = await _app.AddMemberAsync(Roles.Member);
        var browser = await SessionBrowser.SignedInAsync(_app, user.Email!);
        var key = CookieFormat().Unprotect(browser.SessionCookie)!.Principal.Claims.Single().Value;

        var session = await SingleSessionAsync(user.Id);

        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(key)), session.KeyHash);
        foreach (var column in new[] { session.Ticket, Encoding.UTF8.GetBytes(session.UserAgent + session.ClientAddress) })
            Assert.DoesNotContain(key, Encoding.UTF8.GetString(column));
        var stored = TicketSerializer.Default.Deserialize(session.Ticket)!;
        Assert.Equal(session.Id.ToString(), stored.Principal.FindFirst(SessionClaims.SessionId)?.Value);
        Assert.Equal(user.Id, session.UserId);
        Assert.Equal(SessionBrowser.ChromeOnWindows, session.UserAgent);
        Assert.Equal(KeyDashboardFactory.DefaultClientAddress, session.ClientAddress);
        Assert.Equal(_clock.GetUtcNow(), session.SignedInAt);
        Assert.Equal(_clock.GetUtcNow(), session.AuthenticatedAt);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromDays(14), session.ExpiresAt);
    }

    [Fact]
    public async Task A_user_agent_and_address_too_long_for_their_columns_are_shortened()
    {
        var user = await _app.AddMemberAsync(Roles.Member);
        var longAgent = SessionBrowser.ChromeOnWindows + " " + new string('x', 1000);
        await SessionBrowser.SignedInAsync(_app, user.Email!, longAgent);

        var session = await SingleSessionAsync(user.Id);

        Assert.Equal(UserSessionConfiguration.UserAgentLength, session.UserAgent!.Length);
        Assert.StartsWith(SessionBrowser.ChromeOnWindows, session.UserAgent);
    }

    [Fact]
    public async Task Last_seen_is_written_at_most_once_a_minute()
    {
        var user = await _app.AddMemberAsync(Roles.Member);
        var browser = await SessionBrowser.SignedInAsync(_app, user.Email!);
        var signedInAt = _clock.GetUtcNow();

        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(await SessionBrowser.IsSignedInAsync(browser.Client));
        Assert.Equal(signedInAt, (await SingleSessionAsync(user.Id)).LastSeenAt);

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await SessionBrowser.IsSignedInAsync(browser.Client));
        Assert.Equal(_clock.GetUtcNow(), (await SingleSessionAsync(user.Id)).LastSeenAt);
        Assert.Equal(signedInAt, (await SingleSessionAsync(user.Id)).SignedInAt);
    }

    [Fact]
    public async Task Re_authentication_moves_authenticated_at_and_a_refresh_keeps_it()
    {
        var user = await _app.AddMemberAsync(Roles.Owner);
        var browser = await SessionBrowser.SignedInAsync(_app, user.Email!);
        var signedInAt = _clock.GetUtcNow();
        var session = await SingleSessionAsync(user.Id);
        var reauthentication = _app.Services.GetRequiredService<Reauthentication>();

        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True((await reauthentication.ConfirmAsync(new Actor(user.Id, user.Email!) { SessionId = session.Id }, TestWorld.Password)).Succeeded);
        var reauthenticatedAt = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromMinutes(5));
        // The profile form's save refreshes the sign-in (Identity's RefreshSignInAsync), as enabling two-factor does.
        var saved = await browser.Client.SubmitFormAsync("/Account/Manage", "profile", new() { ["Input.PhoneNumber"] = "+1 555 0100" });

        Assert.Equal("/Account/Manage", saved.RedirectPath());
        var after = await SingleSessionAsync(user.Id);
        Assert.Equal(signedInAt, after.SignedInAt);
        Assert.Equal(reauthenticatedAt, after.AuthenticatedAt);
        Assert.True(await SessionBrowser.IsSignedInAsync(browser.Client));
    }

    [Fact]
    public async Task A_sign_in_on_a_browser_still_signed_in_does_not_keep_the_old_key()
    {
        // Session fixation: whoever planted or copied the old cookie must not ride on the next sign-in.
        var planted = await SessionBrowser.SignedInAsync(_app, (await _app.AddMemberAsync(Roles.Member)).Email!);
        var attackerCopy = SessionBrowser.Replaying(_app, planted.SessionCookie);
        var victim = await _app.AddMemberAsync(Roles.Owner);

        await planted.Client.SignInAsync(victim.Email!);

        Assert.False(await SessionBrowser.IsSignedInAsync(attackerCopy));
        await planted.Client.SignInOrFailAsync(victim.Email!);
        Assert.True(await SessionBrowser.IsSignedInAsync(planted.Client));
        Assert.False(await SessionBrowser.IsSignedInAsync(attackerCopy));
    }

    [Fact]
    public async Task An_expired_session_signs_nobody_in_and_the_cleanup_job_removes_it()
    {
        var user = await _app.AddMemberAsync(Roles.Member);
        var browser = await SessionBrowser.SignedInAsync(_app, user.Email!);
        var copied = SessionBrowser.Replaying(_app, browser.SessionCookie);
        var other = await _app.AddMemberAsync(Roles.Member);

        _clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        // A session started now, which the job must leave alone.
        await SessionBrowser.SignedInAsync(_app, other.Email!);

        Assert.False(await SessionBrowser.IsSignedInAsync(copied));
        _clock.Advance(ExpiredSessionCleanup.Interval);
        await WaitUntilAsync(async () => await SessionCountAsync(user.Id) == 0);
        Assert.Equal(1, await SessionCountAsync(other.Id));
    }

    [Fact]
    public async Task An_open_dashboard_tab_is_signed_out_at_its_revalidation_once_its_session_ended()
    {
        var user = await _app.AddUserAsync();
        await SessionBrowser.SignedInAsync(_app, user.Email!);
        var session = await SingleSessionAsync(user.Id);
        // What the circuit holds: the stored ticket's principal.
        var principal = TicketSerializer.Default.Deserialize(session.Ticket)!.Principal;
        await using var scope = _app.Services.CreateAsyncScope();
        var provider = (IdentityRevalidatingAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.True(await provider.IsStillValidAsync(principal, CancellationToken.None));

        await _app.Services.GetRequiredService<UserSessions>().EndAllAsync(new Actor(user.Id, user.Email!), SessionEndReason.EndedByUser);

        Assert.False(await provider.IsStillValidAsync(principal, CancellationToken.None));
    }

    private ISecureDataFormat<AuthenticationTicket> CookieFormat() =>
        _app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).TicketDataFormat;

    private async Task<UserSession> SingleSessionAsync(string userId)
    {
        await using var db = await _app.DbFactory.CreateDbContextAsync();
        return await db.UserSessions.AsNoTracking().SingleAsync(s => s.UserId == userId);
    }

    private async Task<int> SessionCountAsync(string userId)
    {
        await using var db = await _app.DbFactory.CreateDbContextAsync();
        return await db.UserSessions.CountAsync(s => s.UserId == userId);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100 && !await condition(); attempt++) await Task.Delay(100);
        Assert.True(await condition(), "The cleanup job removed nothing within 10 seconds.");
    }
}
