using System.Runtime.CompilerServices;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Sessions;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.AuditLog;

/// <summary>Which entries of the audit log to show: every filter left empty matches everything.</summary>
public sealed record AuditFilter
{
    /// <summary>The actor's user id or key id exactly, or part of the actor's name: an e-mail address, or a key's name.</summary>
    public string? Actor { get; init; }
    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public string? Action { get; init; }
    /// <summary>Entries about this key, or made with it.</summary>
    public string? KeyId { get; init; }
    /// <summary>Leaves out sign-ins and what goes with them (<see cref="AuditActions.SignInActivity"/>).</summary>
    public bool HideSignIns { get; init; }
    /// <summary>Inclusive.</summary>
    public DateTimeOffset? From { get; init; }
    /// <summary>Exclusive.</summary>
    public DateTimeOffset? To { get; init; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Actor) && string.IsNullOrWhiteSpace(Action) && string.IsNullOrWhiteSpace(KeyId)
        && !HideSignIns && From is null && To is null;
}

/// <summary>A page of entries, and the names of the users and keys their details name by id (see <see cref="AuditNames"/>).</summary>
public sealed record AuditEntryPage(IReadOnlyList<AuditEntry> Items, int TotalCount, IReadOnlyDictionary<string, string> Names);

/// <summary>
/// Reads one workspace's audit log for its owners and admins: a page at a time for the audit log page, or every
/// matching entry as a stream for the CSV export. Every call checks the actor's role in the database.
/// </summary>
public sealed class AuditLogQuery(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxPageSize = 100;
    private const int MaxActorFilterLength = 256;
    // As long as the stored action and key id can be: a longer filter cannot match, and is a mistake.
    private const int MaxActionFilterLength = 64;
    private const int MaxKeyFilterLength = 64;
    private const string KeyTarget = "key";

    /// <summary>Ok for owners and admins; Forbidden for members; NotFound for anyone outside the workspace.</summary>
    public async Task<OperationResult<bool>> CheckAccessAsync(Actor actor, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeAuditLog, ct);
        return access.Succeeded ? OperationResult<bool>.Ok(true) : access.As<bool>();
    }

    /// <summary>One page (zero-based) of the matching entries, newest first, and how many match in all.</summary>
    public async Task<OperationResult<AuditEntryPage>> ListAsync(Actor actor, Guid workspaceId, AuditFilter filter, int page, int pageSize,
        CancellationToken ct = default)
    {
        if (PageBounds.Refusal<AuditEntryPage>(page, pageSize, MaxPageSize) is { } outOfBounds) return outOfBounds;
        if (Validate(filter) is { } invalid) return OperationResult<AuditEntryPage>.Invalid(invalid);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeAuditLog, ct);
        if (!access.Succeeded) return access.As<AuditEntryPage>();

        var entries = Matching(db, workspaceId, filter);
        var total = await entries.CountAsync(ct);
        var items = await entries.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(page * pageSize).Take(pageSize).AsNoTracking().ToListAsync(ct);
        var names = await AuditNames.LookUpAsync(db, workspaceId, items.Select(i => i.Details), ct);
        return OperationResult<AuditEntryPage>.Ok(new AuditEntryPage(items, total, names));
    }

    /// <summary>
    /// Every matching entry, oldest first, read from the database while the caller enumerates: a large log is never
    /// held in memory. The export itself is audited before anything is read, and a person confirms it's them first
    /// (see <see cref="Reauthentication"/>): the export is the whole log in one file.
    /// </summary>
    public async Task<OperationResult<IAsyncEnumerable<AuditEntry>>> ExportAsync(Actor actor, Guid workspaceId, AuditFilter filter,
        CancellationToken ct = default)
    {
        if (Validate(filter) is { } invalid) return OperationResult<IAsyncEnumerable<AuditEntry>>.Invalid(invalid);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeAuditLog, ct);
        if (!access.Succeeded) return access.As<IAsyncEnumerable<AuditEntry>>();
        var now = clock.GetUtcNow();
        if (await Reauthentication.NeedsConfirmationAsync(db, actor, now, ct)) return OperationResult<IAsyncEnumerable<AuditEntry>>.ReauthenticationRequired();

        AuditTrail.Add(db, actor, workspaceId, AuditActions.AuditExported, now, details: new
        {
            actor = filter.Actor, action = filter.Action, key = filter.KeyId, hideSignIns = filter.HideSignIns ? true : (bool?)null,
            from = filter.From, to = filter.To,
        });
        await db.SaveChangesAsync(ct);
        return OperationResult<IAsyncEnumerable<AuditEntry>>.Ok(StreamAsync(workspaceId, filter));
    }

    private async IAsyncEnumerable<AuditEntry> StreamAsync(Guid workspaceId, AuditFilter filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = Matching(db, workspaceId, filter).OrderBy(a => a.At).ThenBy(a => a.Id).AsNoTracking().AsAsyncEnumerable();
        await foreach (var entry in entries.WithCancellation(ct))
            yield return entry;
    }

    private static IQueryable<AuditEntry> Matching(AppDbContext db, Guid workspaceId, AuditFilter filter)
    {
        var entries = db.AuditEntries.Where(a => a.WorkspaceId == workspaceId);
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            // An integration names the actor by id, a person by part of a name: one filter serves both.
            var actor = filter.Actor.Trim();
            var pattern = "%" + EscapeLike(actor) + "%";
            entries = db.LikeIsCaseSensitive
                ? entries.Where(a => a.ActorId == actor || EF.Functions.ILike(a.ActorName!, pattern, "\\"))
                : entries.Where(a => a.ActorId == actor || EF.Functions.Like(a.ActorName!, pattern, "\\"));
        }
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            entries = entries.Where(a => a.Action == action);
        }
        if (filter.HideSignIns) entries = entries.Where(a => !AuditActions.SignInActivity.Contains(a.Action));
        if (!string.IsNullOrWhiteSpace(filter.KeyId))
        {
            var keyId = filter.KeyId.Trim();
            entries = entries.Where(a => (a.TargetType == KeyTarget && a.TargetId == keyId)
                || (a.ActorType == AuditActorType.Key && a.ActorId == keyId));
        }
        // Entries are stored in UTC, and the stored form compares clock readings, not instants: compare in UTC.
        if (filter.From is { } from)
        {
            var since = from.ToUniversalTime();
            entries = entries.Where(a => a.At >= since);
        }
        if (filter.To is { } to)
        {
            var until = to.ToUniversalTime();
            entries = entries.Where(a => a.At < until);
        }
        return entries;
    }

    private static Dictionary<string, string[]>? Validate(AuditFilter filter)
    {
        var errors = new Dictionary<string, string[]>();
        if (filter.Actor?.Trim().Length > MaxActorFilterLength) errors["actor"] = [$"The actor filter can be at most {MaxActorFilterLength} characters."];
        if (filter.Action?.Trim().Length > MaxActionFilterLength) errors["action"] = [$"The action filter can be at most {MaxActionFilterLength} characters."];
        if (filter.KeyId?.Trim().Length > MaxKeyFilterLength) errors["key"] = [$"The key filter can be at most {MaxKeyFilterLength} characters."];
        if (filter.From > filter.To) errors["to"] = ["The end of the date range must not be before its start."];
        return errors.Count == 0 ? null : errors;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
