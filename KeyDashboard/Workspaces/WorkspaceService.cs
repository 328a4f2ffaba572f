using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Workspaces;

/// <summary>The workspaces a user belongs to, and which one they work in.</summary>
public sealed class WorkspaceService(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<IReadOnlyList<WorkspaceChoice>> ListMineAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Memberships.Where(m => m.UserId == userId)
            .OrderBy(m => m.Workspace.Name).ThenBy(m => m.WorkspaceId)
            .Select(m => new WorkspaceChoice(m.WorkspaceId, m.Workspace.Name, m.Role, m.Workspace.Plan))
            .ToListAsync(ct);
    }

    /// <summary>Makes the workspace the user's current one; their role claim follows on the next request.</summary>
    public async Task<OperationResult<WorkspaceChoice>> SwitchAsync(string userId, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var choice = await db.Memberships.Where(m => m.UserId == userId && m.WorkspaceId == workspaceId)
            .Select(m => new WorkspaceChoice(m.WorkspaceId, m.Workspace.Name, m.Role, m.Workspace.Plan))
            .FirstOrDefaultAsync(ct);
        if (choice is null) return OperationResult<WorkspaceChoice>.NotFound("You are not a member of that workspace.");
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.CurrentWorkspaceId, workspaceId), ct);
        return OperationResult<WorkspaceChoice>.Ok(choice);
    }

    public async Task<Workspace?> GetAsync(string userId, Guid workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Memberships.Where(m => m.UserId == userId && m.WorkspaceId == workspaceId)
            .Select(m => m.Workspace).AsNoTracking().FirstOrDefaultAsync(ct);
    }
}

public sealed record WorkspaceChoice(Guid Id, string Name, string Role, WorkspacePlan Plan);
