using System.Security.Cryptography;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;

namespace KeyDashboard.Data;

/// <summary>
/// The demo: workspace "Demo" (owner, admin and member accounts) and "Other", with keys in every state and
/// some usage. Runs only on an empty database, and only where <c>SeedDemoData</c> is on.
/// </summary>
internal sealed class DemoData(
    AppDbContext db,
    UserManager<ApplicationUser> users,
    ApiKeyFormat format,
    ApiKeyHasher hasher,
    ScopeCatalog scopes,
    TimeProvider clock)
{
    public const string Password = "Demo-password-1";

    public async Task SeedAsync()
    {
        var now = clock.GetUtcNow();
        var owner = await CreateUserAsync("owner@example.com");
        var admin = await CreateUserAsync("admin@example.com");
        var member = await CreateUserAsync("member@example.com");
        var other = await CreateUserAsync("other@example.com");

        var demo = new Workspace { Name = "Demo", Plan = WorkspacePlan.Paid, CreatedAt = now.AddDays(-120) };
        var otherWorkspace = new Workspace { Name = "Other", Plan = WorkspacePlan.Free, CreatedAt = now.AddDays(-60) };
        db.Workspaces.AddRange(demo, otherWorkspace);
        db.Memberships.AddRange(
            new Membership { Workspace = demo, UserId = owner.Id, Role = Roles.Owner, JoinedAt = now.AddDays(-120) },
            new Membership { Workspace = demo, UserId = admin.Id, Role = Roles.Admin, JoinedAt = now.AddDays(-100) },
            new Membership { Workspace = demo, UserId = member.Id, Role = Roles.Member, JoinedAt = now.AddDays(-90) },
            new Membership { Workspace = otherWorkspace, UserId = other.Id, Role = Roles.Owner, JoinedAt = now.AddDays(-60) });
        owner.CurrentWorkspaceId = admin.CurrentWorkspaceId = member.CurrentWorkspaceId = demo.Id;
        other.CurrentWorkspaceId = otherWorkspace.Id;

        var allScopes = scopes.AllScopes.ToList();
        var (_, consoleKey) = AddKey(demo, owner, "demo-console", "The key printed on first start, for trying the API", KeyEnvironment.Test, allScopes, now.AddDays(-1), now.AddDays(364));
        AddKey(demo, admin, "prod-main-app", "Main web application", KeyEnvironment.Live, ["keys:read", "usage:read"], now.AddDays(-80), now.AddDays(285), usageDays: 30);
        AddKey(demo, admin, "crm-integration", "Syncs contacts to the CRM", KeyEnvironment.Live, ["members:read", "audit:read"], now.AddDays(-355), now.AddDays(10), usageDays: 20);
        AddKey(demo, admin, "staging-deploy", "CI deploys to staging", KeyEnvironment.Test, ["keys:read", "keys:write"], now.AddDays(-400), now.AddDays(-35), usageDays: 10, usageEndsDaysAgo: 36);
        AddKey(demo, member, "legacy-export", "Nightly export, replaced but never revoked", KeyEnvironment.Test, ["usage:read"], now.AddDays(-300), now.AddDays(65), usageDays: 10, usageEndsDaysAgo: 120);
        var (revoked, _) = AddKey(demo, member, "old-reporting", "Replaced by the data warehouse export", KeyEnvironment.Test, ["usage:read"], now.AddDays(-200), now.AddDays(165), usageDays: 15, usageEndsDaysAgo: 20);
        revoked.RevokedAt = now.AddDays(-19);
        revoked.RevokedByUserId = admin.Id;
        revoked.RevokedReason = "Replaced by the data warehouse export";
        var (rotated, _) = AddKey(demo, admin, "billing-webhooks", "Receives billing events", KeyEnvironment.Live, ["workspace:read", "usage:read"], now.AddDays(-150), now.AddDays(215), usageDays: 30);
        rotated.RotatedAt = now.AddHours(-4);
        rotated.PreviousSecretHash = hasher.Hash(format.Generate(KeyEnvironment.Live));
        rotated.PreviousSecretValidUntil = now.AddHours(20);
        rotated.PreviousSecretLastUsedAt = now.AddHours(-1);
        AddKey(otherWorkspace, other, "other-app", "Belongs to another workspace", KeyEnvironment.Test, ["keys:read"], now.AddDays(-30), now.AddDays(335), usageDays: 5);

        await db.SaveChangesAsync();
        PrintConsoleKey(consoleKey);
    }

    private async Task<ApplicationUser> CreateUserAsync(string email)
    {
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded) throw new InvalidOperationException($"Demo user {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        return user;
    }

    private (ApiKey Key, string Secret) AddKey(Workspace workspace, ApplicationUser owner, string name, string description,
        KeyEnvironment environment, List<string> keyScopes, DateTimeOffset createdAt, DateTimeOffset expiresAt,
        int usageDays = 0, int usageEndsDaysAgo = 0)
    {
        var (key, secret) = new NewKey(workspace.Id, name, description, owner.Id, environment, keyScopes, expiresAt)
            .AddTo(db, format, hasher, new Actor(owner.Id, owner.Email!), createdAt);

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        for (var day = usageEndsDaysAgo + usageDays - 1; day >= usageEndsDaysAgo && usageDays > 0; day--)
        {
            var count = RandomNumberGenerator.GetInt32(20, 900);
            db.KeyUsageDays.Add(new KeyUsageDay { ApiKeyId = key.Id, Day = today.AddDays(-day), Count = count });
            key.UsageCount += count;
        }
        if (usageDays > 0)
        {
            key.LastUsedAt = clock.GetUtcNow().AddDays(-usageEndsDaysAgo).AddMinutes(-RandomNumberGenerator.GetInt32(5, 600));
            key.LastUsedFrom = $"203.0.113.{RandomNumberGenerator.GetInt32(1, 250)}";
        }
        return (key, secret);
    }

    // The one place a secret is ever printed: the demo key, on the first start of a demo database only.
    private static void PrintConsoleKey(string secret)
    {
        Console.WriteLine();
        Console.WriteLine("==================== KeyDashboard demo API key ====================");
        Console.WriteLine(" Owner: owner@example.com (workspace \"Demo\"), environment test, every scope.");
        Console.WriteLine(" Shown once, now. Demo data only: never use it for anything real.");
        Console.WriteLine($" {secret}");
        Console.WriteLine("===================================================================");
        Console.WriteLine();
    }
}
