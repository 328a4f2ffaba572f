using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Audit;

/// <summary>The names of the users and keys that entries' details name by id, for <see cref="AuditDetails.Describe"/>.</summary>
public static class AuditNames
{
    // More ids than a page of entries can name: a limit on the size of the lookup, not a rule.
    private const int MaxIds = 500;

    /// <summary>
    /// Id to name (a key's name, a user's e-mail address), one query per kind. Only what the workspace knows: its own
    /// keys, and users who are its members or appear in its log; another workspace's names never come back.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> LookUpAsync(AppDbContext db, Guid workspaceId, IEnumerable<string?> details,
        CancellationToken ct = default)
    {
        var ids = details.SelectMany(AuditDetails.ReferencedIds).Distinct(StringComparer.Ordinal).Take(MaxIds).ToList();
        if (ids.Count == 0) return new Dictionary<string, string>();
        var names = await db.ApiKeys.Where(k => k.WorkspaceId == workspaceId && ids.Contains(k.Id))
            .Select(k => new { k.Id, k.Name }).ToDictionaryAsync(k => k.Id, k => k.Name, StringComparer.Ordinal, ct);
        var users = await db.Users
            .Where(u => ids.Contains(u.Id) && (db.Memberships.Any(m => m.WorkspaceId == workspaceId && m.UserId == u.Id)
                || db.AuditEntries.Any(a => a.WorkspaceId == workspaceId && (a.ActorId == u.Id || a.TargetId == u.Id))))
            .Select(u => new { u.Id, Name = u.Email ?? u.UserName ?? "" }).ToListAsync(ct);
        foreach (var user in users.Where(u => u.Name.Length > 0)) names.TryAdd(user.Id, user.Name);
        return names;
    }
}
