using System.Security.Claims;
using KeyDashboard.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Audit;

/// <summary>
/// Audits sign-ins, failed and throttled sign-ins, lockouts and sign-outs, with the client address. An account's entry
/// goes to every workspace it belongs to at that moment, so each workspace's log shows its own members' sign-ins and
/// keeps them after a member leaves. An attempt on an unknown e-mail belongs to no workspace and records nothing
/// but the address typed, shortened.
/// </summary>
public sealed class SignInAudit(IDbContextFactory<AppDbContext> dbFactory, UserManager<ApplicationUser> users, TimeProvider clock)
{
    /// <summary>How much of a typed e-mail address an entry keeps when it matches no account.</summary>
    public const int AttemptedEmailLength = 100;
    private const int ClientAddressLength = 64;
    /// <summary>The actor of what the server's operator does from the command line.</summary>
    public const string OperatorName = "Server operator (command line)";

    /// <summary>Records the outcome of a password sign-in for the e-mail address that was typed (never the password).</summary>
    public async Task RecordPasswordSignInAsync(string attemptedEmail, SignInResult result, HttpContext http, CancellationToken ct = default)
    {
        // Not an outcome yet: the second factor decides, on its own page.
        if (result.RequiresTwoFactor) return;
        await RecordForAttemptedNameAsync(attemptedEmail, Action(result), AuditTrail.Details(new { method = "password" }), null, http, ct);
    }

    /// <summary>
    /// Records a sign-in refused unchecked by a limit (<c>address</c> or <c>account</c>) for the name typed, or the
    /// account of the second step, with the <paramref name="method"/> that was refused.
    /// </summary>
    public Task RecordThrottledAsync(string attemptedName, string method, string limit, int retryAfterSeconds, HttpContext http,
        CancellationToken ct = default)
    {
        var details = AuditTrail.Details(new { method, limit, retryAfterSeconds });
        return RecordForAttemptedNameAsync(attemptedName, AuditActions.SignInThrottled, details, details, http, ct);
    }

    private async Task RecordForAttemptedNameAsync(string attemptedName, string action, string? details, string? unknownDetails,
        HttpContext http, CancellationToken ct)
    {
        // The same lookup the sign-in made, so the entry names the account that was tried.
        var user = await users.FindByNameAsync(attemptedName);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (user is null)
            db.AuditEntries.Add(Entry(action, null, null, Shorten(attemptedName.Trim(), AttemptedEmailLength), http, unknownDetails));
        else
            await AddForEveryWorkspaceAsync(db, user.Id, Name(user), action, http, details, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Records the outcome of the second step of a sign-in (an authenticator code or a recovery code).</summary>
    public async Task RecordSecondFactorAsync(ApplicationUser user, SignInResult result, string method, HttpContext http, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await AddForEveryWorkspaceAsync(db, user.Id, Name(user), Action(result), http, AuditTrail.Details(new { method }), ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Records that the server's operator printed a password reset link for <paramref name="user"/> from the command line
    /// (see <c>AccountCommands</c>): the system is the actor, the account the target; never the link or its token.
    /// </summary>
    public async Task RecordResetLinkIssuedAsync(ApplicationUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var workspaceId in await WorkspacesOfAsync(db, user.Id, ct))
            db.AuditEntries.Add(new AuditEntry
            {
                At = clock.GetUtcNow(),
                WorkspaceId = workspaceId,
                ActorType = AuditActorType.System,
                ActorName = OperatorName,
                Action = AuditActions.PasswordResetLinkIssued,
                TargetType = "user",
                TargetId = user.Id,
                TargetName = Name(user),
            });
        await db.SaveChangesAsync(ct);
    }

    public async Task RecordSignOutAsync(ClaimsPrincipal user, HttpContext http, CancellationToken ct = default)
    {
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await AddForEveryWorkspaceAsync(db, userId, user.Identity?.Name ?? userId, AuditActions.SignedOut, http, null, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task AddForEveryWorkspaceAsync(AppDbContext db, string userId, string name, string action, HttpContext http,
        string? details, CancellationToken ct)
    {
        foreach (var workspaceId in await WorkspacesOfAsync(db, userId, ct))
            db.AuditEntries.Add(Entry(action, workspaceId, userId, name, http, details));
    }

    private static async Task<List<Guid?>> WorkspacesOfAsync(AppDbContext db, string userId, CancellationToken ct)
    {
        var workspaces = await db.Memberships.Where(m => m.UserId == userId).Select(m => (Guid?)m.WorkspaceId).ToListAsync(ct);
        // Someone in no workspace still leaves a trace, for whoever reads the database.
        if (workspaces.Count == 0) workspaces.Add(null);
        return workspaces;
    }

    private AuditEntry Entry(string action, Guid? workspaceId, string? userId, string name, HttpContext http, string? details) => new()
    {
        At = clock.GetUtcNow(),
        WorkspaceId = workspaceId,
        ActorType = AuditActorType.User,
        ActorId = userId,
        ActorName = name,
        Action = action,
        Details = details,
        ClientAddress = http.Connection.RemoteIpAddress is { } address ? Shorten(address.ToString(), ClientAddressLength) : null,
    };

    private static string Action(SignInResult result) =>
        result.Succeeded ? AuditActions.SignedIn : result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed;

    private static string Name(ApplicationUser user) => user.Email ?? user.UserName ?? user.Id;

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
