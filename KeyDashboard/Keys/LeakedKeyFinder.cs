using System.Text;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// The leaked-key lookup: which of the caller's keys are inside a text found in a log, a ticket or a repository (a
/// bare key, an <c>Authorization: Bearer</c> header, a JSON line, a whole file). It answers only for workspaces the
/// caller administers (owner or admin), and says nothing of any other key in the text, whether it is malformed,
/// unknown or another workspace's, so it cannot be used to probe other workspaces. Keys are compared by hash; the text
/// is never stored or logged. Every lookup is audited, without the text.
/// </summary>
public sealed class LeakedKeyFinder(IDbContextFactory<AppDbContext> dbFactory, ApiKeyFormat format, ApiKeyLookup lookup, TimeProvider clock)
{
    public const string NoMatch = "This matched no key in the workspaces you administer.";
    public const int MaxTextBytes = 100 * 1024;
    /// <summary>Keys looked up per text, the first ones in it: one query holds them all.</summary>
    public const int MaxKeys = 100;
    public static readonly string TooLong = $"The text is over {MaxTextBytes / 1024} KB. Paste only the lines around the key.";

    /// <param name="workspaceId">The caller's current workspace: they must be an owner or admin there.</param>
    /// <returns>The caller's keys found in the text, each once, in order of appearance; empty for none of theirs.</returns>
    public async Task<OperationResult<LeakedKeys>> FindAsync(Actor actor, Guid workspaceId, string? text, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Every membership in one query, before the lookup: a match in someone else's workspace then costs the same
        // queries as an unknown key.
        var memberships = await db.Memberships.Where(m => m.UserId == actor.UserId)
            .Select(m => new { m.WorkspaceId, m.Role, WorkspaceName = m.Workspace.Name }).ToListAsync(ct);
        var current = memberships.FirstOrDefault(m => m.WorkspaceId == workspaceId);
        if (current is null) return OperationResult<LeakedKeys>.NotFound();
        if (Permissions.RefusalFor(current.Role, Permission.LookUpLeakedKeys) is { } refusal) return OperationResult<LeakedKeys>.Forbidden(refusal);
        text ??= "";
        if (Encoding.UTF8.GetByteCount(text) > MaxTextBytes) return OperationResult<LeakedKeys>.Invalid("text", TooLong);

        var presented = format.KeysIn(text);
        var matches = await lookup.FindAllAsync(presented.Take(MaxKeys), ct);
        var administered = matches
            .Select(m => (Match: m, Workspace: memberships.FirstOrDefault(w => w.WorkspaceId == m.Key.WorkspaceId && Permissions.Allows(w.Role, Permission.LookUpLeakedKeys))))
            .Where(m => m.Workspace is not null).ToList();
        var now = clock.GetUtcNow();
        var ids = administered.Select(m => m.Match.Key.Id).ToList();
        var summaries = ids.Count == 0 ? []
            : (await ApiKeyService.Summaries(db, db.ApiKeys.Where(k => ids.Contains(k.Id)), now).ToListAsync(ct)).ToDictionary(k => k.Id);

        var found = new List<LeakedKey>();
        foreach (var (match, workspace) in administered)
        {
            var key = summaries[match.Key.Id];
            found.Add(new LeakedKey(key, workspace!.WorkspaceId, workspace.WorkspaceName, match.ViaPreviousSecret));
            AuditTrail.Add(db, actor, workspace.WorkspaceId, AuditActions.KeyLookup, now, "key", key.Id, key.Name,
                new { matched = true, oldSecret = match.ViaPreviousSecret });
        }
        if (found.Count == 0) AuditTrail.Add(db, actor, workspaceId, AuditActions.KeyLookup, now, details: new { matched = false });
        await db.SaveChangesAsync(ct);
        return OperationResult<LeakedKeys>.Ok(new LeakedKeys(found, presented.Count > MaxKeys));
    }
}

/// <summary>The caller's keys found in a text; <paramref name="MoreThanLookedUp"/> when it held more than <see cref="LeakedKeyFinder.MaxKeys"/> keys.</summary>
public sealed record LeakedKeys(IReadOnlyList<LeakedKey> Keys, bool MoreThanLookedUp);

/// <summary>The key a looked-up string belongs to, and the workspace it is in (not necessarily the current one).</summary>
public sealed record LeakedKey(KeySummary Key, Guid WorkspaceId, string WorkspaceName, bool ViaPreviousSecret);
