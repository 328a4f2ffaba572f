using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// Everything about one key for its page: metadata, usage per day, the rotation hand-off and the key's audit history.
/// Every member of the key's workspace may read the key; only owners and admins its audit history, as for the audit
/// log. Anyone else, and any key of another workspace, gets "not found".
/// </summary>
public sealed class KeyDetailsService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int UsageDays = 30;
    public const int MaxHistoryPageSize = 100;

    public async Task<OperationResult<KeyDetails>> DetailsAsync(Actor actor, Guid workspaceId, string keyId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!(await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeWorkspace, ct)).Succeeded)
            return OperationResult<KeyDetails>.NotFound(ApiKeyService.NotFoundMessage);
        var now = clock.GetUtcNow();
        var keys = db.ApiKeys.Where(k => k.Id == keyId && k.WorkspaceId == workspaceId);
        var summary = await ApiKeyService.Summaries(db, keys, now).SingleOrDefaultAsync(ct);
        if (summary is null) return OperationResult<KeyDetails>.NotFound(ApiKeyService.NotFoundMessage);
        var row = await keys.Select(k => new
        {
            CreatedBy = db.Users.Where(u => u.Id == k.CreatedByUserId).Select(u => u.Email).FirstOrDefault() ?? k.CreatedByUserId,
            RevokedBy = db.Users.Where(u => u.Id == k.RevokedByUserId).Select(u => u.Email).FirstOrDefault() ?? k.RevokedByUserId,
            k.RotatedAt,
            k.PreviousSecretValidUntil,
            k.PreviousSecretLastUsedAt,
            k.RevokedAt,
        }).SingleAsync(ct);

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstDay = today.AddDays(1 - UsageDays);
        var counts = await db.KeyUsageDays.Where(u => u.ApiKeyId == keyId && u.Day >= firstDay && u.Day <= today)
            .ToDictionaryAsync(u => u.Day, u => u.Count, ct);
        var usage = Enumerable.Range(0, UsageDays).Select(i => firstDay.AddDays(i))
            .Select(day => new UsageDay(day, counts.GetValueOrDefault(day))).ToList();

        var handOff = KeyHandOff.Of(row.RotatedAt, row.PreviousSecretValidUntil, row.PreviousSecretLastUsedAt, row.RevokedAt, now);
        return OperationResult<KeyDetails>.Ok(new KeyDetails(summary, row.CreatedBy, row.RevokedBy, usage, handOff));
    }

    /// <summary>The audit entries about the key, newest first. Owners and admins only.</summary>
    public async Task<OperationResult<KeyHistoryPage>> HistoryAsync(Actor actor, Guid workspaceId, string keyId, int page, int pageSize, CancellationToken ct = default)
    {
        if (PageBounds.Refusal<KeyHistoryPage>(page, pageSize, MaxHistoryPageSize) is { } outOfBounds) return outOfBounds;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await WorkspaceAccess.RequireAsync(db, workspaceId, actor, Permission.SeeAuditLog, ct);
        if (access.Status == OperationStatus.NotFound) return OperationResult<KeyHistoryPage>.NotFound(ApiKeyService.NotFoundMessage);
        if (!access.Succeeded) return access.As<KeyHistoryPage>();
        if (!await db.ApiKeys.AnyAsync(k => k.Id == keyId && k.WorkspaceId == workspaceId, ct))
            return OperationResult<KeyHistoryPage>.NotFound(ApiKeyService.NotFoundMessage);

        var entries = db.AuditEntries.AsNoTracking().Where(a => a.WorkspaceId == workspaceId && a.TargetId == keyId);
        var total = await entries.CountAsync(ct);
        var items = await entries.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(a => new KeyHistoryEntry(a.Id, a.At, a.ActorType, a.ActorName ?? "Unknown", a.Action, a.Details, a.ClientAddress))
            .ToListAsync(ct);
        var names = await AuditNames.LookUpAsync(db, workspaceId, items.Select(i => i.Details), ct);
        return OperationResult<KeyHistoryPage>.Ok(new KeyHistoryPage(items, total, names));
    }
}

public sealed record KeyDetails(KeySummary Key, string CreatedByName, string? RevokedByName, IReadOnlyList<UsageDay> Usage, KeyHandOff? HandOff)
{
    public long RequestsInPeriod => Usage.Sum(d => d.Requests);
}

/// <summary>Requests with one key on one UTC day; zero on days without any.</summary>
public sealed record UsageDay(DateOnly Day, long Requests);

public sealed record KeyHistoryEntry(long Id, DateTimeOffset At, AuditActorType ActorType, string? ActorName, string Action, string? Details, string? ClientAddress);

/// <summary>A page of a key's history, and the names its entries' details name by id (see <see cref="AuditNames"/>).</summary>
public sealed record KeyHistoryPage(IReadOnlyList<KeyHistoryEntry> Items, int TotalCount, IReadOnlyDictionary<string, string> Names);
