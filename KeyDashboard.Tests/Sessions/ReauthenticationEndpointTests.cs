using System.Net;
using System.Text.Json;
using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Sessions;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.Sessions;

/// <summary>Over HTTP, the server decides from the session's row, whatever the page did: the export 15 minutes after signing in.</summary>
public sealed class ReauthenticationEndpointTests
{
    [Fact]
    public async Task The_audit_export_answers_at_sign_in_and_is_refused_sixteen_minutes_later()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new KeyDashboardFactory { ConfigureServices = services => services.AddSingleton<TimeProvider>(clock) };
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(AuditLogSetup.ExportPath)).StatusCode);
        clock.Advance(Reauthentication.Window);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(AuditLogSetup.ExportPath)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(1));
        var refused = await browser.GetAsync(AuditLogSetup.ExportPath);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("Re-authentication required", "Confirm it's you to continue."),
            (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        Assert.Equal(2, (await app.AuditEntriesAsync()).Count(e => e.Action == AuditActions.AuditExported));
    }

    [Fact]
    public async Task Confirming_in_the_session_lets_the_export_through_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new KeyDashboardFactory { ConfigureServices = services => services.AddSingleton<TimeProvider>(clock) };
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);
        clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(AuditLogSetup.ExportPath)).StatusCode);

        // What the dialog does over the circuit, for the session this cookie stands for.
        var session = Assert.Single(await app.Services.GetRequiredService<UserSessions>().ListAsync(app.World.Owner.Id));
        var confirmed = await app.Services.GetRequiredService<Reauthentication>()
            .ConfirmAsync(new Actor(app.World.Owner.Id, app.World.Owner.Email!) { SessionId = session.Id }, TestWorld.Password);

        Assert.True(confirmed.Succeeded, confirmed.Message);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(AuditLogSetup.ExportPath)).StatusCode);
    }
}
