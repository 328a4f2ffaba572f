using KeyDashboard.Data;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Email;

/// <summary>
/// Once a day, one e-mail to each person with keys about to expire: the key's owner and its workspace's owners and
/// admins hear of each active key when it comes within 7 days of expiry, and again within 1 day. An
/// <see cref="ExpiryNotice"/> is inserted before the e-mail is queued, under a unique index, so a restart or a second
/// instance running at the same moment never sends one twice; a failed send is not retried (at most once, not at least).
/// </summary>
public sealed class ExpiryDigest(IDbContextFactory<AppDbContext> dbFactory, MailQueue mail, PublicLinks links, TimeProvider clock,
    ILogger<ExpiryDigest> logger) : BackgroundService
{
    /// <summary>Days before expiry at which the people concerned are told, the widest first.</summary>
    public static readonly IReadOnlyList<int> Thresholds = [7, 1];
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mail.CanSend) return;
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                try { await SendDueAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "The expiry digest failed; it runs again in {Interval}.", Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Sends the digests due now.</summary>
    /// <returns>How many e-mails were queued.</returns>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        if (!mail.CanSend) return 0;
        var now = clock.GetUtcNow();
        var horizon = now + TimeSpan.FromDays(Thresholds[0]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.Where(k => k.RevokedAt == null && k.ExpiresAt > now && k.ExpiresAt <= horizon)
            .Select(k => new { k.Id, k.Name, k.DisplayPrefix, k.WorkspaceId, Workspace = k.Workspace.Name, ExpiresAt = k.ExpiresAt!.Value, k.OwnerUserId })
            .ToListAsync(ct);
        if (keys.Count == 0) return 0;
        var workspaceIds = keys.Select(k => k.WorkspaceId).Distinct().ToList();
        var members = await db.Memberships.Where(m => workspaceIds.Contains(m.WorkspaceId) && m.User.Email != null)
            .Select(m => new { m.WorkspaceId, m.UserId, m.Role, Email = m.User.Email! })
            .ToListAsync(ct);
        var keyIds = keys.Select(k => k.Id).ToList();
        var sent = (await db.ExpiryNotices.Where(n => keyIds.Contains(n.KeyId)).Select(n => new { n.KeyId, n.DaysBefore, n.RecipientUserId }).ToListAsync(ct))
            .Select(n => (n.KeyId, n.DaysBefore, n.RecipientUserId)).ToHashSet();

        var due = from key in keys
                  let threshold = Thresholds.Where(days => key.ExpiresAt - now <= TimeSpan.FromDays(days)).Min()
                  from member in members
                  where member.WorkspaceId == key.WorkspaceId
                        && (member.UserId == key.OwnerUserId || member.Role is Roles.Owner or Roles.Admin)
                        && !sent.Contains((key.Id, threshold, member.UserId))
                  select (key, threshold, member);
        var queued = 0;
        foreach (var recipient in due.GroupBy(d => d.member.UserId))
        {
            db.ChangeTracker.Clear();
            db.ExpiryNotices.AddRange(recipient.Select(d => new ExpiryNotice
            {
                KeyId = d.key.Id, DaysBefore = d.threshold, RecipientUserId = recipient.Key, SentAt = now,
            }));
            // Another instance claimed one of these first and sends its digest: these keys wait for the next run.
            if (!await db.TrySaveChangesAsync<DbUpdateException>(ct)) continue;
            var lines = recipient.OrderBy(d => d.key.ExpiresAt)
                .Select(d => new ExpiringKey(d.key.Name, d.key.DisplayPrefix, d.key.Workspace, d.key.ExpiresAt, links.To($"keys/{Uri.EscapeDataString(d.key.Id)}")))
                .ToList();
            if (mail.Send(recipient.First().member.Email, EmailTemplates.ExpiryDigest(lines, links.To("")))) queued++;
        }
        return queued;
    }
}
