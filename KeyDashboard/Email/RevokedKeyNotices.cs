using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Email;

/// <summary>
/// "Your API key … was revoked", to the key's owner when someone else revoked it: an admin, an owner, or a leak report.
/// Whoever revokes their own key knows already. Called once the revocation has committed; never throws, so a failure
/// here never turns a done revocation into an error.
/// </summary>
public sealed class RevokedKeyNotices(IDbContextFactory<AppDbContext> dbFactory, MailQueue mail, PublicLinks links, ILogger<RevokedKeyNotices> logger)
{
    public async Task SendAsync(Actor revokedBy, IReadOnlyCollection<string> keyIds)
    {
        if (!mail.CanSend || keyIds.Count == 0) return;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var keys = await db.ApiKeys
                .Where(k => keyIds.Contains(k.Id) && k.RevokedAt != null && k.OwnerUserId != revokedBy.UserId && k.Owner.Email != null)
                .Select(k => new { k.Id, k.Name, k.DisplayPrefix, Workspace = k.Workspace.Name, RevokedAt = k.RevokedAt!.Value, k.RevokedReason, k.Owner.Email })
                .ToListAsync();
            foreach (var key in keys)
                mail.Send(key.Email!, EmailTemplates.KeyRevoked(
                    new RevokedKey(key.Name, key.DisplayPrefix, key.Workspace, key.RevokedAt, revokedBy.Name, key.RevokedReason),
                    links.To($"keys/{Uri.EscapeDataString(key.Id)}")));
        }
        catch (Exception e)
        {
            logger.LogError(e, "The revoked-key notices for keys {KeyIds} could not be sent.", string.Join(", ", keyIds));
        }
    }
}
