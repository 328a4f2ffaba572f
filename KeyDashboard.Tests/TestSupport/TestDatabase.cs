using KeyDashboard.AuditLog;
using KeyDashboard.Cluster;
using KeyDashboard.Components.Account;
using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Sessions;
using KeyDashboard.Telemetry;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// A copy of the <see cref="TestWorld"/>'s SQLite database in a folder of its own (WAL, like production), with the
/// app's services over it and no web host: a fake <see cref="Clock"/> and a fixed <see cref="Pepper"/>.
/// </summary>
public sealed class TestDatabase : IWorldDatabase, IAsyncDisposable
{
    public static readonly byte[] Pepper = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly ServiceProvider _services;

    private TestDatabase(string directory)
    {
        Directory = directory;
        WorldDatabaseCopies.CopyTo(directory);
        Configuration = WorldDatabaseCopies.Configuration(directory);
        _services = new ServiceCollection()
            .AddKeyDashboardData(Configuration, directory)
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton(Format)
            .AddSingleton(Hasher)
            .AddSingleton(Scopes)
            .AddCluster(Configuration)
            .AddSingleton<KeyDashboardMetrics>()
            .AddMetrics()
            .AddSingleton<WorkspaceChanges>()
            .AddSingleton<ApiKeyService>()
            .AddSingleton<ApiKeyLookup>()
            .AddSingleton<KeyDetailsService>()
            .AddSingleton<LeakedKeyFinder>()
            .AddSingleton<LeakReports>()
            .AddSingleton<LeakReportNotices>()
            .AddLogging()
            // No host runs the mail dispatcher here: mail is tested through the whole app (KeyDashboardFactory).
            .AddSingleton(sp => new MailQueue(MailDelivery.None, sp.GetRequiredService<ILogger<MailQueue>>()))
            .AddSingleton<PublicLinks>()
            .AddSingleton<RevokedKeyNotices>()
            .AddSingleton<WorkspaceService>()
            .AddSingleton<WorkspaceSettingsService>()
            .AddSingleton<MembershipService>()
            .AddSingleton<AuditLogQuery>()
            .AddSingleton<Reauthentication>()
            .AddKeyDashboardIdentity()
            .AddDataProtection().UseEphemeralDataProtectionProvider().Services
            .BuildServiceProvider();
        DbFactory = _services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        World = TestWorld.Load(DbFactory);
    }

    public string Directory { get; }
    /// <summary>The SQLite file; on PostgreSQL there is none.</summary>
    public string DatabasePath => Path.Combine(Directory, WorldDatabaseCopies.FileName);
    /// <summary>What points the app's data setup (<see cref="DatabaseSetup.AddKeyDashboardData"/>) at this database.</summary>
    public IConfiguration Configuration { get; }
    public IServiceProvider Services => _services;
    public IDbContextFactory<AppDbContext> DbFactory { get; }
    public FakeTimeProvider Clock { get; } = new(TestWorld.SeededAt);
    TimeProvider IWorldDatabase.Clock => Clock;
    public ApiKeyFormat Format { get; } = new();
    public ApiKeyHasher Hasher { get; } = new(Pepper);
    public ScopeCatalog Scopes { get; } = new(new Dictionary<string, string[]> { ["teammates"] = ["read", "write", "delete"], ["integrations"] = ["read"] });
    public WorkspaceChanges Changes => _services.GetRequiredService<WorkspaceChanges>();

    public TestWorld World { get; }
    public Workspace Workspace => World.Workspace;
    public Workspace OtherWorkspace => World.OtherWorkspace;
    public ApplicationUser Owner => World.Owner;
    public ApplicationUser Admin => World.Admin;
    public ApplicationUser Member => World.Member;
    public ApplicationUser OtherAdmin => World.OtherAdmin;
    public ApplicationUser Outsider => World.Outsider;

    /// <summary>On PostgreSQL with its change listener running, as in the app: what a change announces, this instance hears.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase(WorldDatabaseCopies.NewDataDirectory());
        foreach (var service in database._services.GetServices<IHostedService>()) await service.StartAsync(CancellationToken.None);
        await ClusterTestSupport.ListeningAsync(database._services);
        return database;
    }

    public ApiKeyService KeyService() => _services.GetRequiredService<ApiKeyService>();
    public MembershipService MembershipService() => _services.GetRequiredService<MembershipService>();
    public WorkspaceSettingsService SettingsService() => _services.GetRequiredService<WorkspaceSettingsService>();

    /// <summary>The production data setup over this database's folder, with an interceptor that sees every command.</summary>
    public ServiceProvider CountingServices(CommandCounter commands) => new ServiceCollection()
        .AddKeyDashboardData(Configuration, Directory)
        .ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(commands))
        .BuildServiceProvider();

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services.GetServices<IHostedService>()) await service.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        WorldDatabaseCopies.Delete(Directory);
    }
}
