using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// Leak reports from anyone (<c>POST /api/v1/leaks</c>): every active key whose secret is among the reported strings
/// is revoked at once, in whichever workspace it is, with one audit entry each in that workspace, in one transaction,
/// and announced on <see cref="WorkspaceChanges"/> so the API's cache refuses it at once. No membership is checked:
/// holding a working secret is the authority here, since whoever holds it can use the key anyway. This takes secrets,
/// never key ids, so it gives no caller a way to revoke a key whose secret it does not already have.
/// </summary>
public sealed class LeakReports(
    IDbContextFactory<AppDbContext> dbFactory,
    ApiKeyFormat format,
    ApiKeyHasher hasher,
    TimeProvider clock,
    WorkspaceChanges changes,
    RevokedKeyNotices revokedKeyNotices,
    ILogger<LeakReports> logger)
{
    public const string Reason = "reported as leaked";
    /// <summary>Who the audit log says revoked the keys; the reporter's client address goes with it.</summary>
    public const string ActorName = "Leak report";
    /// <summary>Well-formed keys considered per report, the first ones in it; the rest are ignored.</summary>
    public const int MaxKeysPerReport = 100;
    /// <summary>Longer strings are ignored unread: no key is this long, even with whitespace around it.</summary>
    public const int MaxStringLength = 256;
    private const int Attempts = 5;

    /// <summary>
    /// Revokes the active keys among <paramref name="reported"/>. Strings that are not well-formed keys (shape and
    /// checksum) are dropped before any database query; a report of only those costs none.
    /// </summary>
    /// <returns>How many keys were revoked: for the log and tests, never for the reporter.</returns>
    public async Task<int> RevokeAsync(IEnumerable<string?> reported, string? clientAddress, CancellationToken ct = default)
    {
        var hashes = WellFormed(reported).Select(s => hasher.Hash(s)).ToList();
        if (hashes.Count == 0) return 0;
        var actor = Actor.System(ActorName, clientAddress);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow();
            var candidates = await ApiKeyLookup.WithSecretHashIn(db.ApiKeys, hashes).Where(k => k.RevokedAt == null).ToListAsync(ct);
            var leaked = candidates.Select(key => ActiveMatch(key, hashes, now)).OfType<KeyMatch>().ToList();
            if (leaked.Count == 0) return 0;
            foreach (var (key, viaPreviousSecret) in leaked)
            {
                key.Revoke(byUserId: null, Reason, now);
                AuditTrail.Add(db, actor, key.WorkspaceId, AuditActions.KeyReportedLeaked, now, "key", key.Id, key.Name,
                    new { reason = Reason, secret = viaPreviousSecret ? "previous" : "current" });
            }
            // A rotation or an edit of one of the keys came first: nothing of ours committed. A revocation must not be
            // stopped by that: start again on the fresh rows (a rotated key may now match by its previous secret).
            if (!await changes.TrySaveAsync<DbUpdateConcurrencyException>(db, leaked.Select(m => m.Key.WorkspaceId).ToList(), ct))
            {
                if (attempt < Attempts) continue;
                throw new DbUpdateConcurrencyException($"The reported keys kept changing; {Attempts} attempts to revoke them failed.");
            }
            await revokedKeyNotices.SendAsync(actor, leaked.Select(m => m.Key.Id).ToList());
            logger.LogWarning("Leak report from {ClientAddress}: revoked keys {KeyIds}.", clientAddress, string.Join(", ", leaked.Select(m => m.Key.Id)));
            return leaked.Count;
        }
    }

    private IEnumerable<string> WellFormed(IEnumerable<string?> reported) => reported
        .Where(s => s is { Length: <= MaxStringLength })
        .Select(s => s!.Trim())
        .Where(s => format.IsWellFormed(s))
        .Distinct(StringComparer.Ordinal)
        .Take(MaxKeysPerReport);

    /// <summary>
    /// The match when the reported secret still opens the key: its current secret before expiry, or a rotation's
    /// previous secret within its grace period. A secret that no longer works leaks nothing and revokes nothing.
    /// </summary>
    private static KeyMatch? ActiveMatch(ApiKey key, IEnumerable<byte[]> hashes, DateTimeOffset now)
    {
        if (key.StatusAt(now) == KeyStatus.Expired) return null;
        var matches = hashes.Select(hash => ApiKeyLookup.Match(key, hash)).OfType<KeyMatch>().ToList();
        if (matches.Any(m => !m.ViaPreviousSecret)) return matches.First(m => !m.ViaPreviousSecret);
        return matches.FirstOrDefault(m => key.PreviousSecretValidUntil > now);
    }
}
