using KeyDashboard.Cluster;
using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Workspaces;

/// <summary>
/// Announces that something deciding who may do what in a workspace changed: a key was rotated or revoked, a member
/// was removed or got another role, the plan or key policy changed. Whatever remembers such decisions (the API's
/// verified-key cache, open dashboard sessions) listens and forgets. On PostgreSQL the change carries a revision and a
/// notification to every instance (<see cref="ChangeListener"/>), and saving it returns only once every live instance
/// has forgotten (<see cref="ChangeAcknowledgements"/>): no instance accepts a revoked key after the revoke returned.
/// Alone on SQLite there are no <paramref name="acknowledgements"/> to wait for, and a change is told to this instance.
/// </summary>
public sealed class WorkspaceChanges(ChangeAcknowledgements? acknowledgements = null)
{
    public const string Channel = "keydashboard_changes";
    // pg_notify refuses payloads of 8,000 bytes or more; a change of more workspaces than fit is announced as one of all.
    private const int MaxPayloadLength = 7_000;
    private const string AllWorkspaces = "*";

    public event Action<Guid>? Changed;

    /// <summary>This instance may have missed changes (its listener was cut off): forget everything.</summary>
    public event Action? AnyMayHaveChanged;

    /// <summary>Saves <paramref name="db"/>'s changes and announces them; false, saving nothing, when <see cref="AppDbContext.TrySaveChangesAsync{TConflict}"/> would.</summary>
    public async Task<bool> TrySaveAsync<TConflict>(AppDbContext db, IReadOnlyCollection<Guid> workspaceIds, CancellationToken ct)
        where TConflict : DbUpdateException
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.TrySaveChangesAsync<TConflict>(ct))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return false;
        }
        var revision = await StageAsync(db, workspaceIds, ct);
        await transaction.CommitAsync(ct);
        await PublishAsync(workspaceIds, revision);
        return true;
    }

    public async Task SaveAsync(AppDbContext db, Guid workspaceId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        var revision = await StageAsync(db, [workspaceId], ct);
        await transaction.CommitAsync(ct);
        await PublishAsync([workspaceId], revision);
    }

    /// <summary>
    /// Inside the change's own transaction, after its writes, so the lock on the revision row is held only briefly:
    /// takes the next revision and queues the notification, both committed or rolled back with the change. Null on
    /// SQLite, where this is the only instance.
    /// </summary>
    public async Task<long?> StageAsync(AppDbContext db, IReadOnlyCollection<Guid> workspaceIds, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return null;
        var revision = (await db.Database.SqlQuery<long>(
            $"""UPDATE "ClusterRevisions" SET "Value" = "Value" + 1 WHERE "Id" = {ClusterRevision.SingleId} RETURNING "Value" """).ToListAsync(ct)).Single();
        var ids = string.Join(',', workspaceIds.Distinct());
        var payload = $"{revision}:{(ids.Length > MaxPayloadLength ? AllWorkspaces : ids)}";
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", ct);
        return revision;
    }

    /// <summary>After the commit: alone, tells this instance; with others, waits until every live one has heard it.</summary>
    public async Task PublishAsync(IReadOnlyCollection<Guid> workspaceIds, long? revision)
    {
        if (revision is { } shared) await acknowledgements!.WaitAsync(shared);
        else foreach (var workspaceId in workspaceIds.Distinct()) Changed?.Invoke(workspaceId);
    }

    /// <summary>What the listener heard: <c>revision:id,id…</c>. Returns the revision.</summary>
    internal long Receive(string payload)
    {
        var (revision, ids) = (payload[..payload.IndexOf(':')], payload[(payload.IndexOf(':') + 1)..]);
        if (ids == AllWorkspaces) AnyMayHaveChanged?.Invoke();
        else foreach (var id in ids.Split(',', StringSplitOptions.RemoveEmptyEntries)) Changed?.Invoke(Guid.Parse(id));
        return long.Parse(revision, System.Globalization.CultureInfo.InvariantCulture);
    }

    internal void MissedSome() => AnyMayHaveChanged?.Invoke();
}
