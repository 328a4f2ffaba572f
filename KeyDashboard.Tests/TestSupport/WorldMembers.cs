using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Setting up and inspecting accounts, memberships and workspaces in an <see cref="IWorldDatabase"/>.</summary>
public static class WorldMembers
{
    public static ApplicationUser UserWithRole(this IWorldDatabase database, string role) => role switch
    {
        Roles.Owner => database.World.Owner,
        Roles.Admin => database.World.Admin,
        _ => database.World.Member,
    };

    /// <summary>A new account, signing in with <see cref="TestWorld.Password"/>, in no workspace.</summary>
    public static async Task<ApplicationUser> AddUserAsync(this IWorldDatabase database, string? email = null)
    {
        var user = TestWorld.Account(email ?? $"user-{Guid.NewGuid():N}@acme.test");
        await using var db = await database.DbFactory.CreateDbContextAsync();
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>A new account with <paramref name="role"/> in <paramref name="workspace"/>, the main one unless told otherwise.</summary>
    public static async Task<ApplicationUser> AddMemberAsync(this IWorldDatabase database, string role, Workspace? workspace = null, string? email = null)
    {
        var user = await database.AddUserAsync(email ?? $"{role}-{Guid.NewGuid():N}@acme.test");
        await database.AddMembershipAsync(workspace ?? database.World.Workspace, user, role);
        return user;
    }

    public static async Task AddMembershipAsync(this IWorldDatabase database, Workspace workspace, ApplicationUser user, string role)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        db.Memberships.Add(new Membership { WorkspaceId = workspace.Id, UserId = user.Id, Role = role, JoinedAt = database.Clock.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    /// <summary>The owner of the main workspace invites <paramref name="email"/>; returns the invitation's token.</summary>
    public static async Task<string> InviteAsync(this IWorldDatabase database, string email, string role = Roles.Member)
    {
        await using var scope = database.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MembershipService>()
            .InviteAsync(database.ActorFor(database.World.Owner), database.World.Workspace.Id, new InviteRequest(email, role));
        Assert.True(result.Succeeded, result.Message);
        return result.Value!.Token;
    }

    public static async Task<string?> RoleOfAsync(this IWorldDatabase database, ApplicationUser user, Workspace? workspace = null)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await WorkspaceAccess.RoleAsync(db, (workspace ?? database.World.Workspace).Id, user.Id);
    }

    /// <summary>The workspace <paramref name="user"/> last switched to, as stored.</summary>
    public static async Task<Guid?> CurrentWorkspaceIdAsync(this IWorldDatabase database, ApplicationUser user)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == user.Id).Select(u => u.CurrentWorkspaceId).SingleAsync();
    }

    /// <summary>Runs <paramref name="change"/> on the workspace row and saves it, e.g. to switch plan or policy; <paramref name="workspace"/> changes too.</summary>
    public static async Task UpdateWorkspaceAsync(this IWorldDatabase database, Workspace workspace, Action<Workspace> change)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        change(await db.Workspaces.SingleAsync(w => w.Id == workspace.Id));
        await db.SaveChangesAsync();
        change(workspace);
    }

    /// <summary>
    /// Turns on two-factor authentication for <paramref name="user"/> as the authenticator page leaves it: the flag, and
    /// the authenticator key where Identity's user store keeps it.
    /// </summary>
    public static async Task EnableTwoFactorAsync(this IWorldDatabase database, ApplicationUser user)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.TwoFactorEnabled, true));
        db.UserTokens.Add(new IdentityUserToken<string> { UserId = user.Id, LoginProvider = "[AspNetUserStore]", Name = "AuthenticatorKey", Value = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" });
        await db.SaveChangesAsync();
        user.TwoFactorEnabled = true;
    }

    /// <summary>"Require two-factor authentication for owners and admins" on in <paramref name="workspace"/>, the main one unless told otherwise.</summary>
    public static Task RequireTwoFactorAsync(this IWorldDatabase database, Workspace? workspace = null) =>
        database.UpdateWorkspaceAsync(workspace ?? database.World.Workspace, w => w.RequireTwoFactorForManagers = true);

    /// <summary>Memberships, invitations, workspaces and audit entries: equal snapshots mean nothing changed in between.</summary>
    public static async Task<string> MembershipSnapshotAsync(this IWorldDatabase database)
    {
        await using var db = await database.DbFactory.CreateDbContextAsync();
        return JsonSerializer.Serialize(new
        {
            memberships = await db.Memberships.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.WorkspaceId, m.UserId, m.Role }).ToListAsync(),
            invitations = await db.Invitations.AsNoTracking().OrderBy(i => i.Id).Select(i => new { i.Id, i.Email, i.Role, i.TokenHash, i.ExpiresAt }).ToListAsync(),
            workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).ToListAsync(),
            audit = await db.AuditEntries.CountAsync(),
        });
    }
}
