using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// A migrated SQLite database in a file of its own (WAL, like production), with two workspaces:
/// <see cref="Workspace"/> (Paid) holding <see cref="Owner"/>, <see cref="Admin"/> and <see cref="Member"/>, and
/// <see cref="OtherWorkspace"/> whose admin is <see cref="OtherAdmin"/>. <see cref="Outsider"/> belongs to none.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static readonly byte[] Pepper = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly ServiceProvider _services;

    private TestDatabase(string directory)
    {
        Directory = directory;
        var configuration = new ConfigurationBuilder().Build();
        _services = new ServiceCollection().AddKeyDashboardData(configuration, directory).BuildServiceProvider();
        Factory = _services.GetRequiredService<IDbContextFactory<AppDbContext>>();
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "keydashboard.db");
    public IDbContextFactory<AppDbContext> Factory { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    public ApiKeyFormat Format { get; } = new();
    public ApiKeyHasher Hasher { get; } = new(Pepper);
    public ScopeCatalog Scopes { get; } = new(new Dictionary<string, string[]> { ["teammates"] = ["read", "write", "delete"], ["integrations"] = ["read"] });

    public Workspace Workspace { get; private set; } = null!;
    public Workspace OtherWorkspace { get; private set; } = null!;
    public ApplicationUser Owner { get; private set; } = null!;
    public ApplicationUser Admin { get; private set; } = null!;
    public ApplicationUser Member { get; private set; } = null!;
    public ApplicationUser OtherAdmin { get; private set; } = null!;
    public ApplicationUser Outsider { get; private set; } = null!;

    public static async Task<TestDatabase> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "kd-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var database = new TestDatabase(directory);
        await using var db = await database.Factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await database.SeedAsync(db);
        return database;
    }

    /// <summary>The production data setup over this database's folder, with an interceptor that sees every command.</summary>
    public ServiceProvider CountingServices(CommandCounter commands) => new ServiceCollection()
        .AddKeyDashboardData(new ConfigurationBuilder().Build(), Directory)
        .ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(commands))
        .BuildServiceProvider();

    public WorkspaceChanges Changes { get; } = new();
    public ApiKeyService KeyService() => new(Factory, Format, Hasher, Scopes, Clock, Changes);
    public MembershipService MembershipService() => new(Factory, Clock, Changes);
    public WorkspaceSettingsService SettingsService() => new(Factory, Clock, Changes);

    public Actor ActorFor(ApplicationUser user, string? clientAddress = "198.51.100.7") => new(user.Id, user.Email!, clientAddress);

    public async Task<ApplicationUser> AddUserAsync(string email)
    {
        await using var db = await Factory.CreateDbContextAsync();
        var user = new ApplicationUser { UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant(), SecurityStamp = Guid.NewGuid().ToString() };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    public async Task AddMemberAsync(Workspace workspace, ApplicationUser user, string role)
    {
        await using var db = await Factory.CreateDbContextAsync();
        db.Memberships.Add(new Membership { WorkspaceId = workspace.Id, UserId = user.Id, Role = role, JoinedAt = Clock.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    /// <summary>Runs <paramref name="change"/> on the workspace row and saves it, e.g. to switch plan or policy.</summary>
    public async Task UpdateWorkspaceAsync(Workspace workspace, Action<Workspace> change)
    {
        await using var db = await Factory.CreateDbContextAsync();
        var row = await db.Workspaces.SingleAsync(w => w.Id == workspace.Id);
        change(row);
        await db.SaveChangesAsync();
        change(workspace);
    }

    private async Task SeedAsync(AppDbContext db)
    {
        var now = Clock.GetUtcNow();
        Workspace = new Workspace { Name = "Acme", Plan = WorkspacePlan.Paid, CreatedAt = now };
        OtherWorkspace = new Workspace { Name = "Other", Plan = WorkspacePlan.Paid, CreatedAt = now };
        db.Workspaces.AddRange(Workspace, OtherWorkspace);
        await db.SaveChangesAsync();
        Owner = await AddUserAsync("owner@acme.test");
        Admin = await AddUserAsync("admin@acme.test");
        Member = await AddUserAsync("member@acme.test");
        OtherAdmin = await AddUserAsync("admin@other.test");
        Outsider = await AddUserAsync("outsider@nowhere.test");
        await AddMemberAsync(Workspace, Owner, Roles.Owner);
        await AddMemberAsync(Workspace, Admin, Roles.Admin);
        await AddMemberAsync(Workspace, Member, Roles.Member);
        await AddMemberAsync(OtherWorkspace, OtherAdmin, Roles.Admin);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        // Only this database's pool: clearing every pool would close other tests' connections mid-run.
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(new Microsoft.Data.Sqlite.SqliteConnection(DatabaseSetup.SqliteConnectionString(null, Directory)));
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
