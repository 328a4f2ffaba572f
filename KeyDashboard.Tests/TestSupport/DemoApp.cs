using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Reaching into a running demo app's database: its workspaces, users and audit entries.</summary>
public static class DemoApp
{
    public static async Task<Workspace> WorkspaceAsync(this KeyDashboardFactory app, string name)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Workspaces.AsNoTracking().SingleAsync(w => w.Name == name);
    }

    public static async Task<ApplicationUser> UserAsync(this KeyDashboardFactory app, string email)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
    }

    /// <summary>A new account with the demo password, a member of each workspace given (name and role).</summary>
    public static async Task<ApplicationUser> CreateUserAsync(this KeyDashboardFactory app, params (string Workspace, string Role)[] memberships)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email };
        Assert.True((await users.CreateAsync(user, AccountForms.DemoPassword)).Succeeded);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        foreach (var (workspace, role) in memberships)
            db.Memberships.Add(new Membership { WorkspaceId = (await app.WorkspaceAsync(workspace)).Id, UserId = user.Id, Role = role, JoinedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return user;
    }

    public static async Task<List<AuditEntry>> AuditEntriesAsync(this KeyDashboardFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    public static async Task AddAuditEntriesAsync(this KeyDashboardFactory app, IEnumerable<AuditEntry> entries)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        db.AuditEntries.AddRange(entries);
        await db.SaveChangesAsync();
    }
}
