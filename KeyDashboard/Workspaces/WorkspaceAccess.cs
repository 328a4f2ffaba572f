using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Workspaces;

public static class WorkspaceAccess
{
    /// <summary>The user's role in the workspace, read fresh from the database; null when they are not a member.</summary>
    public static Task<string?> RoleAsync(AppDbContext db, Guid workspaceId, string userId, CancellationToken ct = default) =>
        db.Memberships.Where(m => m.WorkspaceId == workspaceId && m.UserId == userId)
            .Select(m => m.Role).FirstOrDefaultAsync(ct);
}
