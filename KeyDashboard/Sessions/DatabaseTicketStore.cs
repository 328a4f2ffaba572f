using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using KeyDashboard.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Sessions;

/// <summary>
/// Keeps the sign-in cookie's ticket in the database (<see cref="UserSession"/>): the cookie carries only a random
/// key, and the row only its SHA-256. Deleting the row ends the session on every app instance at its next request.
/// </summary>
public sealed class DatabaseTicketStore(IDbContextFactory<AppDbContext> dbFactory, UserSessions sessions, TimeProvider clock) : ITicketStore
{
    /// <summary>The ticket property naming the session a retrieved ticket came from: a renewal carries it, a new sign-in doesn't.</summary>
    private const string SessionIdItem = "kd:session";
    private const int KeyBytes = 32;
    // The cookie handler always sets an expiry; this is Identity's cookie lifetime, should a ticket come without one.
    private static readonly TimeSpan DefaultLifetime = new CookieAuthenticationOptions().ExpireTimeSpan;

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null!, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        StoreAsync(ticket, null!, cancellationToken);

    /// <summary>A new session: a sign-in on a browser whose cookie stood for none.</summary>
    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(KeyBytes));
        var session = new UserSession
        {
            KeyHash = Hash(key),
            UserId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier)
                ?? throw new InvalidOperationException("A sign-in ticket without a user id."),
            Ticket = [],
            SignedInAt = now,
            AuthenticatedAt = now,
            LastSeenAt = now,
            ExpiresAt = ticket.Properties.ExpiresUtc ?? now + DefaultLifetime,
            UserAgent = UserSessions.Shorten(httpContext?.Request.Headers.UserAgent.ToString(), UserSessionConfiguration.UserAgentLength),
            ClientAddress = UserSessions.ClientAddress(httpContext),
        };
        session.Ticket = Serialize(ticket, session.Id);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, null!, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        RenewAsync(key, ticket, null!, cancellationToken);

    /// <summary>
    /// The cookie handler renews the session its request's cookie stands for, under the same key: for sliding
    /// expiration, for a principal the security-stamp check rebuilt, and for Identity's <c>RefreshSignInAsync</c>
    /// (after a password or e-mail change, two-factor set-up), which is not a new sign-in, so the session keeps its
    /// id, sign-in and authentication times. An ended session stays ended. But the handler also renews when someone
    /// signs in afresh on a browser that is still signed in: that sign-in must not inherit a key somebody else may
    /// hold (session fixation), so the old session ends and nothing is stored. The login page signs a browser out when
    /// it shows the form, so only a form posted without that page gets here: that browser logs in once more.
    /// </summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!ticket.Properties.Items.TryGetValue(SessionIdItem, out var item) || !Guid.TryParse(item, out var id))
        {
            await db.UserSessions.Where(s => s.KeyHash == hash).ExecuteDeleteAsync(cancellationToken);
            return;
        }
        var now = clock.GetUtcNow();
        var serialized = Serialize(ticket, id);
        var expiresAt = ticket.Properties.ExpiresUtc ?? now + DefaultLifetime;
        await db.UserSessions.Where(s => s.Id == id && s.KeyHash == hash).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Ticket, serialized)
            .SetProperty(x => x.ExpiresAt, expiresAt)
            .SetProperty(x => x.LastSeenAt, now), cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, null!, CancellationToken.None);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) =>
        RetrieveAsync(key, null!, cancellationToken);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.UserSessions.AsNoTracking().Where(s => s.KeyHash == hash)
            .Select(s => new { s.Id, s.Ticket, s.LastSeenAt, s.ExpiresAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (session is null || session.ExpiresAt <= now) return null;
        if (TicketSerializer.Default.Deserialize(session.Ticket) is not { } ticket) return null;

        await sessions.SeenAsync(session.Id, session.LastSeenAt, UserSessions.ClientAddress(httpContext), cancellationToken);
        ticket.Properties.Items[SessionIdItem] = session.Id.ToString();
        return ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, null!, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key, null!, cancellationToken);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.UserSessions.Where(s => s.KeyHash == hash).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>SHA-256 of the cookie's key: what the row stores, so a copy of the database holds no usable session.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.ASCII.GetBytes(key));

    /// <summary>The ticket with the session's id as a claim, for <see cref="Actor.SessionId"/> on every request and circuit.</summary>
    private static byte[] Serialize(AuthenticationTicket ticket, Guid sessionId)
    {
        var principal = new ClaimsPrincipal(ticket.Principal.Identities.Select((identity, index) =>
        {
            var copy = new ClaimsIdentity(identity.Claims.Where(c => c.Type != SessionClaims.SessionId),
                identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
            if (index == 0) copy.AddClaim(new Claim(SessionClaims.SessionId, sessionId.ToString()));
            return copy;
        }));
        var properties = ticket.Properties.Clone();
        properties.Items.Remove(SessionIdItem);
        return TicketSerializer.Default.Serialize(new AuthenticationTicket(principal, properties, ticket.AuthenticationScheme));
    }
}
