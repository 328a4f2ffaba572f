using BenchmarkDotNet.Attributes;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KeyDashboard.Benchmarks;

/// <summary>
/// The steps of authenticating a request with a key, among 10,000 stored keys: parse (shape and checksum), hash
/// (HMAC-SHA256), lookup by hash in SQLite, and the whole check with the verified-key cache warm and cold.
/// </summary>
[MemoryDiagnoser]
public class ApiKeyAuthenticationBenchmarks
{
    private const int StoredKeys = 10_000;

    private string _directory = "";
    private ServiceProvider _services = null!;
    private readonly ApiKeyFormat _format = new();
    private readonly ApiKeyHasher _hasher = new(new byte[32]);
    private ApiKeyLookup _lookup = null!;
    private ApiKeyAuthenticator _authenticator = null!;
    private WorkspaceChanges _changes = null!;
    private Guid _workspace;
    private string _secret = "";

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "kd-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _services = new ServiceCollection().AddKeyDashboardData(new ConfigurationBuilder().Build(), _directory).BuildServiceProvider();
        var factory = _services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        _changes = new WorkspaceChanges();
        _lookup = new ApiKeyLookup(factory, _format, _hasher);
        _authenticator = new ApiKeyAuthenticator(_format, _hasher, _lookup, new VerifiedKeyCache(_changes),
            new KeyUsageRecorder(factory, NullLogger<KeyUsageRecorder>.Instance), factory, NullLogger<ApiKeyAuthenticator>.Instance);

        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        var now = DateTimeOffset.UtcNow;
        var user = new ApplicationUser { UserName = "owner@example.com", Email = "owner@example.com" };
        var workspace = new Workspace { Name = "Bench", CreatedAt = now };
        db.Users.Add(user);
        db.Workspaces.Add(workspace);
        db.Memberships.Add(new Membership { Workspace = workspace, UserId = user.Id, Role = Roles.Owner });
        for (var i = 0; i < StoredKeys; i++)
        {
            var secret = _format.Generate(KeyEnvironment.Test);
            if (i == StoredKeys / 2) _secret = secret;
            db.ApiKeys.Add(new ApiKey
            {
                Id = _format.NewKeyId(), Workspace = workspace, Name = $"svc-{i}", OwnerUserId = user.Id, Scopes = ["keys:read"],
                DisplayPrefix = _format.DisplayPrefix(secret), SecretHash = _hasher.Hash(secret), CreatedByUserId = user.Id,
                CreatedAt = now, ExpiresAt = now.AddDays(365),
            });
        }
        await db.SaveChangesAsync();
        _workspace = workspace.Id;
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "parse (shape and checksum)")]
    public bool Parse() => _format.IsWellFormed(_secret);

    [Benchmark(Description = "hash (HMAC-SHA256)")]
    public byte[] Hash() => _hasher.Hash(_secret);

    [Benchmark(Description = "lookup by hash in SQLite")]
    public Task<KeyMatch?> Lookup() => _lookup.FindAsync(_secret);

    [Benchmark(Baseline = true, Description = "authenticate, cache warm")]
    public ValueTask<KeyCheck> AuthenticateCached() => _authenticator.CheckAsync(_secret, DateTimeOffset.UtcNow, "127.0.0.1", CancellationToken.None);

    [Benchmark(Description = "authenticate, cache cold")]
    public ValueTask<KeyCheck> AuthenticateUncached()
    {
        _changes.Publish(_workspace);
        return _authenticator.CheckAsync(_secret, DateTimeOffset.UtcNow, "127.0.0.1", CancellationToken.None);
    }
}
