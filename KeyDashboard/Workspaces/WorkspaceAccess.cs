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
    /// what is in it) and "forbidden", with the reason, for a member whose role does not allow it.
    /// </summary>
    public static async Task<OperationResult<string>> RequireAsync(AppDbContext db, Guid workspaceId, Actor actor, Permission permission,
        CancellationToken ct = default)
    {
        var role = await RoleAsync(db, workspaceId, actor.UserId, ct);
        if (role is null) return OperationResult<string>.NotFound();
        return Permissions.RefusalFor(role, permission) is { } refusal
            ? OperationResult<string>.Forbidden(refusal)
            : OperationResult<string>.Ok(role);
    }
}
