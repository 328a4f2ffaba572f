using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// The one world that service, component and HTTP tests start from: workspace <see cref="Workspace"/> "Acme" (Paid)
/// holding <see cref="Owner"/>, <see cref="Admin"/> and <see cref="Member"/>; <see cref="OtherWorkspace"/> "Other"
/// (Paid), whose admin is <see cref="OtherAdmin"/>; <see cref="Outsider"/>, in no workspace. Every account signs in
/// with <see cref="Password"/>. Seeded once into the file <see cref="WorldDatabaseCopies"/> copies; each copy reads its
/// own instances back (<see cref="Load"/>), so a test may change them.
/// </summary>
public sealed record TestWorld(Workspace Workspace, Workspace OtherWorkspace, ApplicationUser Owner, ApplicationUser Admin,
    ApplicationUser Member, ApplicationUser OtherAdmin, ApplicationUser Outsider)
{
    public const string Password = "World-password-1";

    /// <summary>When the world was made; <see cref="TestDatabase.Clock"/> starts here.</summary>
    public static readonly DateTimeOffset SeededAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    // Hashing a password is slow on purpose: once per run, shared by every account the tests make.
    private static readonly Lazy<string> PasswordHash = new(() => new PasswordHasher<ApplicationUser>().HashPassword(null!, Password));

    /// <summary>An account as the app stores one, signing in with <see cref="Password"/>.</summary>
    public static ApplicationUser Account(string email) => new()
    {
        UserName = email,
        Email = email,
        NormalizedUserName = email.ToUpperInvariant(),
        NormalizedEmail = email.ToUpperInvariant(),
        EmailConfirmed = true,
        // As UserManager sets it for new accounts (Lockout.AllowedForNewUsers).
        LockoutEnabled = true,
        PasswordHash = PasswordHash.Value,
        SecurityStamp = Guid.NewGuid().ToString(),
    };

    internal static void Seed(AppDbContext db)
    {
        var acme = new Workspace { Name = "Acme", Plan = WorkspacePlan.Paid, CreatedAt = SeededAt };
        var other = new Workspace { Name = "Other", Plan = WorkspacePlan.Paid, CreatedAt = SeededAt };
        db.Workspaces.AddRange(acme, other);
        var accounts = Emails.Select(Account).ToList();
        db.Users.AddRange(accounts);
        (Workspace Workspace, int Account, string Role)[] memberships =
            [(acme, 0, Roles.Owner), (acme, 1, Roles.Admin), (acme, 2, Roles.Member), (other, 3, Roles.Admin)];
        foreach (var (workspace, account, role) in memberships)
            db.Memberships.Add(new Membership { Workspace = workspace, UserId = accounts[account].Id, Role = role, JoinedAt = SeededAt });
        db.SaveChanges();
    }

    public static TestWorld Load(IDbContextFactory<AppDbContext> dbFactory)
    {
        using var db = dbFactory.CreateDbContext();
        var workspaces = db.Workspaces.AsNoTracking().ToDictionary(w => w.Name);
        var users = db.Users.AsNoTracking().Where(u => Emails.Contains(u.Email)).ToDictionary(u => u.Email!);
        return new TestWorld(workspaces["Acme"], workspaces["Other"],
            users[Emails[0]], users[Emails[1]], users[Emails[2]], users[Emails[3]], users[Emails[4]]);
    }

    private static readonly string[] Emails = ["owner@acme.test", "admin@acme.test", "member@acme.test", "admin@other.test", "outsider@nowhere.test"];
}
