using BenchmarkDotNet.Attributes;
using KeyDashboard;
using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KeyDashboard.Benchmarks;

/// <summary>
/// The keys page's queries in a workspace of 100,000 keys, against the same queries in a workspace of 100
/// keys (the baseline) in the same SQLite file: the ratio says how much the big workspace costs.
/// </summary>
[MemoryDiagnoser]
public class KeyListBenchmarks
{
    private const int LargeWorkspaceKeys = 100_000;
    private const int SmallWorkspaceKeys = 100;

    private string _directory = "";
    private ServiceProvider _services = null!;
    private ApiKeyService _keys = null!;
    private Actor _actor = null!;
    private Guid _small, _large;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "kd-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _services = new ServiceCollection().AddKeyDashboardData(new ConfigurationBuilder().Build(), _directory).BuildServiceProvider();
        var factory = _services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var format = new ApiKeyFormat();
        var hasher = new ApiKeyHasher(new byte[32]);
        var noMail = new RevokedKeyNotices(factory, new MailQueue(MailDelivery.None, NullLogger<MailQueue>.Instance),
            new PublicLinks(Options.Create(new KeyDashboardOptions())), NullLogger<RevokedKeyNotices>.Instance);
        _keys = new ApiKeyService(factory, format, hasher, new ScopeCatalog(), TimeProvider.System, new WorkspaceChanges(), noMail);

        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        var now = DateTimeOffset.UtcNow;
        var users = Enumerable.Range(0, 50).Select(i => new ApplicationUser { UserName = $"user{i}@example.com", Email = $"user{i}@example.com" }).ToList();
        db.Users.AddRange(users);
        var small = new Workspace { Name = "Small", CreatedAt = now };
        var large = new Workspace { Name = "Large", CreatedAt = now };
        db.Workspaces.AddRange(small, large);
        foreach (var user in users)
            db.Memberships.AddRange(new Membership { Workspace = small, UserId = user.Id, Role = Roles.Admin }, new Membership { Workspace = large, UserId = user.Id, Role = Roles.Admin });
        await db.SaveChangesAsync();
        _small = small.Id;
        _large = large.Id;
        _actor = new Actor(users[0].Id, users[0].Email!);

        var random = new Random(42);
        foreach (var (workspace, count) in new[] { (small, SmallWorkspaceKeys), (large, LargeWorkspaceKeys) })
        {
            for (var done = 0; done < count; done += 5000)
            {
                db.ChangeTracker.Clear();
                for (var i = done; i < Math.Min(count, done + 5000); i++)
                {
                    var secret = format.Generate(i % 3 == 0 ? KeyEnvironment.Live : KeyEnvironment.Test);
                    db.ApiKeys.Add(new ApiKey
                    {
                        Id = format.NewKeyId(), WorkspaceId = workspace.Id, Name = $"{(i % 7 == 0 ? "prod" : "svc")}-app-{i}",
                        OwnerUserId = users[random.Next(users.Count)].Id, Environment = i % 3 == 0 ? KeyEnvironment.Live : KeyEnvironment.Test,
                        Scopes = ["keys:read"], DisplayPrefix = format.DisplayPrefix(secret), SecretHash = hasher.Hash(secret),
                        CreatedByUserId = users[0].Id, CreatedAt = now.AddMinutes(-i), ExpiresAt = now.AddDays(random.Next(-30, 365)),
                        RevokedAt = i % 10 == 0 ? now.AddDays(-1) : null, UsageCount = random.Next(0, 100_000),
                        LastUsedAt = now.AddMinutes(-random.Next(0, 100_000)),
                    });
                }
                await db.SaveChangesAsync();
            }
        }
        await db.Database.ExecuteSqlRawAsync("ANALYZE;");
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "first page, 100 keys")]
    public Task<OperationResult<KeyPage>> FirstPageSmall() => _keys.ListAsync(_actor, _small, new KeyQuery());

    [Benchmark(Description = "first page, 100,000 keys")]
    public Task<OperationResult<KeyPage>> FirstPageLarge() => _keys.ListAsync(_actor, _large, new KeyQuery());

    [Benchmark(Description = "search 'prod', 100,000 keys")]
    public Task<OperationResult<KeyPage>> SearchLarge() => _keys.ListAsync(_actor, _large, new KeyQuery { Search = "prod" });

    [Benchmark(Description = "sort by owner, 100,000 keys")]
    public Task<OperationResult<KeyPage>> SortByOwnerLarge() => _keys.ListAsync(_actor, _large, new KeyQuery { SortBy = KeySort.Owner });

    [Benchmark(Description = "expiring soon, 100,000 keys")]
    public Task<OperationResult<KeyPage>> ExpiringSoonLarge() => _keys.ListAsync(_actor, _large, new KeyQuery { Statuses = [KeyStatus.ExpiringSoon] });

    [Benchmark(Description = "last page, 100,000 keys")]
    public Task<OperationResult<KeyPage>> LastPageLarge() => _keys.ListAsync(_actor, _large, new KeyQuery { Page = 3599 });
}
