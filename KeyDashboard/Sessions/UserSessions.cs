using KeyDashboard.Audit;
using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Sessions;

/// <summary>
/// A user's sign-in sessions: what the sessions page lists and ends, and what a password change ends (the
/// authentication time is <see cref="Reauthentication"/>'s). Ending a session deletes its row, which signs its cookie
/// out on every app instance at its next request, and its open dashboard tabs at their next revalidation.
/// </summary>
public sealed class UserSessions(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>How stale <see cref="UserSession.LastSeenAt"/> may get: no session writes more often than this.</summary>
    public static readonly TimeSpan LastSeenPrecision = TimeSpan.FromMinutes(1);

    /// <summary>Whether the session still lasts: what an open dashboard tab checks to stay signed in.</summary>
    public async Task<bool> IsActiveAsync(Guid sessionId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.UserSessions.AnyAsync(s => s.Id == sessionId && s.ExpiresAt > now, ct);
    }

    /// <summary>The user's sessions that last, most recently seen first.</summary>
    public async Task<IReadOnlyList<SessionSummary>> ListAsync(string userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sessions = await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId && s.ExpiresAt > now)
            .OrderByDescending(s => s.LastSeenAt).ThenBy(s => s.Id)
            .Select(s => new SessionSummary(s.Id, s.UserAgent, s.ClientAddress, s.SignedInAt, s.LastSeenAt))
            .ToListAsync(ct);
        return sessions;
    }

    /// <summary>Ends one of the actor's own sessions; a session of anyone else is left alone. False when none was ended.</summary>
    public async Task<bool> EndAsync(Actor actor, Guid sessionId, CancellationToken ct = default) =>
        await EndWhereAsync(actor, SessionEndReason.EndedByUser, s => s.Id == sessionId, ct) > 0;

    /// <summary>Ends every session of the actor but the one they act in: "End all other sessions", a password change.</summary>
    public Task<int> EndOthersAsync(Actor actor, SessionEndReason reason, CancellationToken ct = default)
    {
        var current = actor.SessionId ?? throw new InvalidOperationException("The actor acts in no session.");
        return EndWhereAsync(actor, reason, s => s.Id != current, ct);
    }

    /// <summary>Ends every session of the actor's account: a password reset.</summary>
    public Task<int> EndAllAsync(Actor actor, SessionEndReason reason, CancellationToken ct = default) =>
        EndWhereAsync(actor, reason, _ => true, ct);

    /// <summary>Deletes the sessions that expired; the cleanup job's work. Returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.UserSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    /// <summary>Records that the session was used, at most once per <see cref="LastSeenPrecision"/>.</summary>
    internal async Task SeenAsync(Guid sessionId, DateTimeOffset lastSeenAt, string? clientAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now - lastSeenAt < LastSeenPrecision) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.UserSessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.LastSeenAt, now)
            .SetProperty(x => x.ClientAddress, x => clientAddress ?? x.ClientAddress), ct);
    }

    private async Task<int> EndWhereAsync(Actor actor, SessionEndReason reason,
        System.Linq.Expressions.Expression<Func<UserSession, bool>> which, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ended = await db.UserSessions.Where(s => s.UserId == actor.UserId).Where(which).Select(s => s.Id).ToListAsync(ct);
        if (ended.Count == 0) return 0;
        await db.UserSessions.Where(s => s.UserId == actor.UserId && ended.Contains(s.Id)).ExecuteDeleteAsync(ct);

        // Into each of the user's workspaces, as their sign-ins are (see SignInAudit).
        var workspaces = await db.Memberships.Where(m => m.UserId == actor.UserId).Select(m => (Guid?)m.WorkspaceId).ToListAsync(ct);
        if (workspaces.Count == 0) workspaces.Add(null);
        var details = AuditTrail.Details(new { reason = ReasonName(reason) });
        foreach (var workspaceId in workspaces)
        foreach (var sessionId in ended)
            db.AuditEntries.Add(new AuditEntry
            {
                At = now,
                WorkspaceId = workspaceId,
                ActorType = AuditActorType.User,
                ActorId = actor.UserId,
                ActorName = actor.Name,
                Action = AuditActions.SessionEnded,
                TargetType = "session",
                TargetId = sessionId.ToString(),
                Details = details,
                ClientAddress = Shorten(actor.ClientAddress, UserSessionConfiguration.ClientAddressLength),
            });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ended.Count;
    }

    private static string ReasonName(SessionEndReason reason) => reason switch
    {
        SessionEndReason.EndedByUser => "ended_by_user",
        SessionEndReason.PasswordChanged => "password_changed",
        SessionEndReason.PasswordSet => "password_set",
        SessionEndReason.PasswordReset => "password_reset",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    internal static string? ClientAddress(HttpContext? http) =>
        Shorten(http?.Connection.RemoteIpAddress?.ToString(), UserSessionConfiguration.ClientAddressLength);

    internal static string? Shorten(string? text, int length) =>
        string.IsNullOrEmpty(text) ? null : text.Length <= length ? text : text[..(length - 1)] + "…";
}

/// <summary>A session as the sessions page shows it.</summary>
public sealed record SessionSummary(Guid Id, string? UserAgent, string? ClientAddress, DateTimeOffset SignedInAt, DateTimeOffset LastSeenAt);

/// <summary>Why sessions were ended, recorded in the <c>session.ended</c> audit entry.</summary>
public enum SessionEndReason
{
    EndedByUser,
    PasswordChanged,
    PasswordSet,
    PasswordReset,
}
