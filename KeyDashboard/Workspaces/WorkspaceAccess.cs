using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Workspaces;

public static class WorkspaceAccess
{
    /// <summary>The user's role in the workspace, read fresh from the database; null when they are not a member.</summary>
    public static Task<string?> RoleAsync(AppDbContext db, Guid workspaceId, string userId, CancellationToken ct = default) =>
        db.Memberships.Where(m => m.WorkspaceId == workspaceId && m.UserId == userId)
            .Select(m => m.Role).FirstOrDefaultAsync(ct);

    /// <summary>
    /// How every service checks a permission: the actor's role in the workspace, read fresh from the database, when it
    /// allows <paramref name="permission"/>; otherwise "not found" for anyone outside the workspace (who must not learn
    /// what is in it) and "forbidden", with the reason, for a member whose role does not allow it, or an owner or admin
    /// without two-factor authentication where the workspace requires it (for people and their keys alike). One query,
    /// with the workspace's setting and the user's two-factor state read alongside the role.
    /// </summary>
    public static async Task<OperationResult<string>> RequireAsync(AppDbContext db, Guid workspaceId, Actor actor, Permission permission,
        CancellationToken ct = default)
    {
        var member = await db.Memberships.Where(m => m.WorkspaceId == workspaceId && m.UserId == actor.UserId)
            .Select(m => new { m.Role, MissingTwoFactor = m.Workspace.RequireTwoFactorForManagers && !m.User.TwoFactorEnabled })
            .FirstOrDefaultAsync(ct);
        if (member is null) return OperationResult<string>.NotFound();
        return Permissions.RefusalFor(member.Role, permission, member.MissingTwoFactor) is { } refusal
            ? OperationResult<string>.Forbidden(refusal)
            : OperationResult<string>.Ok(member.Role);
    }
}
