using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Members;

/// <summary>Setting up and inspecting memberships, invitations and their audit trail in a <see cref="TestDatabase"/>.</summary>
public static class MembersTestData
{
    public static ApplicationUser UserWithRole(this TestDatabase database, string role) => role switch
    {
        Roles.Owner => database.Owner,
        Roles.Admin => database.Admin,
        _ => database.Member,
    };

    /// <summary>A new account with <paramref name="role"/> in the main workspace.</summary>
    public static async Task<ApplicationUser> AddMemberWithRoleAsync(this TestDatabase database, string role, string? email = null)
    {
        var user = await database.AddUserAsync(email ?? $"{role}-{Guid.NewGuid():N}@acme.test");
        await database.AddMemberAsync(database.Workspace, user, role);
        return user;
    }

    public static async Task<string?> RoleOfAsync(this TestDatabase database, ApplicationUser user, Workspace? workspace = null)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        return await WorkspaceAccess.RoleAsync(db, (workspace ?? database.Workspace).Id, user.Id);
    }

    /// <summary>Memberships, invitations, workspaces and audit entries: equal snapshots mean nothing changed in between.</summary>
    public static async Task<string> MembershipSnapshotAsync(this TestDatabase database)
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        return JsonSerializer.Serialize(new
        {
            memberships = await db.Memberships.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.WorkspaceId, m.UserId, m.Role }).ToListAsync(),
            invitations = await db.Invitations.AsNoTracking().OrderBy(i => i.Id).Select(i => new { i.Id, i.Email, i.Role, i.TokenHash, i.ExpiresAt }).ToListAsync(),
            workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).ToListAsync(),
            audit = await db.AuditEntries.CountAsync(),
        });
    }
}
