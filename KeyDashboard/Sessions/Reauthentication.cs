using KeyDashboard.Audit;
using KeyDashboard.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Sessions;

/// <summary>
/// Re-authentication before dangerous actions (GitHub's sudo mode): a live key created or rotated, a role changed, the
/// plan or key policy changed, the audit log exported. The services ask <see cref="NeedsConfirmationAsync"/>, which
/// reads the time the person last proved who they are from their session's row (<see cref="UserSession.AuthenticatedAt"/>),
/// never from anything the browser sends; the dashboard then asks for the password and calls <see cref="ConfirmAsync"/>.
/// </summary>
public sealed class Reauthentication(IDbContextFactory<AppDbContext> dbFactory, IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>How long a sign-in, or a confirmation, covers dangerous actions.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public const string RequiredTitle = "Re-authentication required";
    public const string RequiredMessage = "Confirm it's you to continue.";
    public const string WrongPasswordOrCode = "That password or code is not right.";
    public const string LockedOutMessage = "Too many wrong attempts: your account is locked for a while. Try again later.";
    public const string NoSessionMessage = "This session can't be confirmed. Sign out and sign in again.";

    /// <summary>
    /// Whether <paramref name="actor"/> must confirm it's them before a dangerous action. An API key has no session and
    /// is never asked (what a key may do instead is narrowed by <c>Permissions.LiveKeyThroughKey</c>). A person is asked
    /// unless their own session authenticated within <see cref="Window"/>: no session id, a session that is gone, or one
    /// that belongs to someone else all count as not recent.
    /// </summary>
    public static async Task<bool> NeedsConfirmationAsync(AppDbContext db, Actor actor, DateTimeOffset now, CancellationToken ct = default) =>
        actor.KeyId is null && !await IsRecentAsync(db, actor, now, ct);

    private static async Task<bool> IsRecentAsync(AppDbContext db, Actor actor, DateTimeOffset now, CancellationToken ct) =>
        actor.SessionId is { } sessionId
        && await db.UserSessions.AnyAsync(s => s.Id == sessionId && s.UserId == actor.UserId && s.AuthenticatedAt >= now - Window, ct);

    /// <summary>Whether the person authenticated within <see cref="Window"/> in their session: the dashboard asks first before a download.</summary>
    public async Task<bool> IsRecentAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await IsRecentAsync(db, actor, clock.GetUtcNow(), ct);
    }

    /// <summary>Whether the person has an authenticator app: the dialog then says a code from it works too.</summary>
    public async Task<bool> HasAuthenticatorAsync(Actor actor)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.FindByIdAsync(actor.UserId) is { } user && await users.GetTwoFactorEnabledAsync(user);
    }

    /// <summary>
    /// Checks the password, or a code from the authenticator app when the person has one, and on success marks their
    /// session authenticated now. A wrong answer counts as a failed sign-in towards Identity's lockout, and a locked-out
    /// account is refused whatever it types. Successes and failures are audited in each of the person's workspaces.
    /// </summary>
    public async Task<OperationResult<DateTimeOffset>> ConfirmAsync(Actor actor, string? passwordOrCode, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(passwordOrCode)) return OperationResult<DateTimeOffset>.Invalid("password", "Enter your password.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = actor.SessionId is { } sessionId
            ? await db.UserSessions.SingleOrDefaultAsync(s => s.Id == sessionId && s.UserId == actor.UserId, ct)
            : null;
        // A dashboard circuit lives for hours: a scope of our own reads the account as it is now, not as the circuit first saw it.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(actor.UserId);
        if (session is null || user is null) return OperationResult<DateTimeOffset>.Forbidden(NoSessionMessage);
        if (await users.IsLockedOutAsync(user))
        {
            await AuditAsync(db, actor, AuditActions.ReauthenticationFailed, new { lockedOut = true }, ct);
            return OperationResult<DateTimeOffset>.Forbidden(LockedOutMessage);
        }

        var code = AuthenticatorCode(passwordOrCode);
        var method = code is not null && await users.GetTwoFactorEnabledAsync(user) ? "authenticator" : "password";
        var confirmed = method == "authenticator"
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code!)
            : await users.CheckPasswordAsync(user, passwordOrCode);
        if (!confirmed)
        {
            await users.AccessFailedAsync(user);
            var lockedOut = await users.IsLockedOutAsync(user);
            await AuditAsync(db, actor, AuditActions.ReauthenticationFailed, new { method }, ct);
            if (lockedOut) await AuditAsync(db, actor, AuditActions.LockedOut, new { method, during = "reauthentication" }, ct);
            return lockedOut
                ? OperationResult<DateTimeOffset>.Forbidden(LockedOutMessage)
                : OperationResult<DateTimeOffset>.Invalid("password", WrongPasswordOrCode);
        }

        await users.ResetAccessFailedCountAsync(user);
        var now = clock.GetUtcNow();
        session.AuthenticatedAt = now;
        await AuditAsync(db, actor, AuditActions.Reauthenticated, new { method }, ct);
        return OperationResult<DateTimeOffset>.Ok(now);
    }

    /// <summary>Six digits, as an authenticator app shows them (spaces and hyphens allowed); null for anything else.</summary>
    private static string? AuthenticatorCode(string text)
    {
        var code = text.Replace(" ", "").Replace("-", "");
        return code.Length == 6 && code.All(char.IsAsciiDigit) ? code : null;
    }

    /// <summary>Like a sign-in, a confirmation goes to every workspace the account belongs to; saves pending changes with it.</summary>
    private async Task AuditAsync(AppDbContext db, Actor actor, string action, object details, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var workspaceId in await db.Memberships.Where(m => m.UserId == actor.UserId).Select(m => m.WorkspaceId).ToListAsync(ct))
            AuditTrail.Add(db, actor, workspaceId, action, now, "session", actor.SessionId?.ToString(), details: details);
        await db.SaveChangesAsync(ct);
    }
}
