using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Cluster;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KeyDashboard.Tests.Api;

public sealed class VerifiedKeyCacheTests
{
    private static readonly Guid Workspace = Guid.NewGuid();
    private static readonly Guid OtherWorkspace = Guid.NewGuid();
    private static readonly SecretHash HashA = new(1, 0);
    private static readonly SecretHash HashB = new(2, 0);

    [Fact]
    public async Task A_published_change_drops_that_workspaces_keys_only()
    {
        var changes = new WorkspaceChanges();
        using var cache = new VerifiedKeyCache(changes, InstanceLease.Alone(), TestMetrics.Create());
        cache.Add(HashA, Key("key_a", Workspace), cache.BeginLookup());
        cache.Add(HashB, Key("key_b", OtherWorkspace), cache.BeginLookup());

        await changes.PublishAsync([Workspace], revision: null);

        Assert.False(cache.TryGet(HashA, out _));
        Assert.True(cache.TryGet(HashB, out var kept));
        Assert.Equal("key_b", kept.KeyId);
    }

    [Fact]
    public async Task A_lookup_that_began_before_a_change_is_not_kept()
    {
        var changes = new WorkspaceChanges();
        using var cache = new VerifiedKeyCache(changes, InstanceLease.Alone(), TestMetrics.Create());
        var began = cache.BeginLookup();

        await changes.PublishAsync([Workspace], revision: null); // e.g. the revoke commits while the lookup reads the old row
        cache.Add(HashA, Key("key_a", Workspace), began);
        cache.Add(HashB, Key("key_b", OtherWorkspace), began);

        Assert.False(cache.TryGet(HashA, out _));
        Assert.True(cache.TryGet(HashB, out _));
        cache.Add(HashA, Key("key_a", Workspace), cache.BeginLookup());
        Assert.True(cache.TryGet(HashA, out _));
    }

    [Fact]
    public async Task An_authenticated_key_is_served_from_the_cache_until_its_workspace_changes()
    {
        var commands = new CommandCounter();
        await using var app = new KeyDashboardFactory { ConfigureServices = services => services.ConfigureDbContext<KeyDashboard.Data.AppDbContext>(o => o.AddInterceptors(commands)) };
        var admin = await app.AddMemberAsync(Roles.Admin);
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest(owner: admin));
        var client = app.ApiClient(issued.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        // Changed behind the app's back: the cache still answers, without a query.
        await using (var db = await app.DbFactory.CreateDbContextAsync())
            await db.Memberships.Where(m => m.UserId == admin.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, Roles.Member));
        var before = commands.Queries;
        var cached = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(Roles.Admin, cached.GetProperty("role").GetString());
        Assert.Equal(before, commands.Queries);

        // Published, as the membership service does after it commits: the next request reads the truth.
        await app.Services.AnnounceChangeAsync(app.World.Workspace.Id);
        Assert.Equal(Roles.Member, (await client.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("role").GetString());

        await using (var db = await app.DbFactory.CreateDbContextAsync())
            await db.Memberships.Where(m => m.UserId == admin.Id).ExecuteDeleteAsync();
        await app.Services.AnnounceChangeAsync(app.World.Workspace.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory]
    [InlineData("kd_test_not-a-key")]
    [InlineData("bad checksum")]
    public async Task Malformed_keys_and_bad_checksums_never_reach_the_database(string presented)
    {
        var commands = new CommandCounter();
        await using var app = new KeyDashboardFactory { ConfigureServices = services => services.ConfigureDbContext<KeyDashboard.Data.AppDbContext>(o => o.AddInterceptors(commands)) };
        if (presented == "bad checksum") presented = KeySecrets.WithWrongChecksum(app.Format.Generate(KeyEnvironment.Test));
        _ = app.Services; // started: the database is migrated and seeded before counting
        await Task.Delay(KeyUsageFlusher.Interval);
        var before = commands.Count;

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(presented).GetAsync("/api/v1/me")).StatusCode);
        var verify = await app.ServiceClient().PostAsJsonAsync("/api/v1/verify", new { key = presented });
        Assert.Equal("malformed", (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        Assert.Equal(before, commands.Count);
    }

    [Fact]
    public async Task Expiry_and_the_end_of_a_grace_period_apply_to_cached_keys_as_time_passes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new KeyDashboardFactory { ConfigureServices = services => services.AddSingleton<TimeProvider>(clock) };
        var expiring = await app.CreateKeyAsync();
        var rotated = await app.CreateKeyAsync();
        await app.AsOwnerAsync((keys, actor, workspace) => keys.RotateAsync(actor, workspace, rotated.Key.Id, RotationGrace.OneHour));
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(expiring.Secret).GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(rotated.Secret).GetAsync("/api/v1/me")).StatusCode);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(rotated.Secret).GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(expiring.Secret).GetAsync("/api/v1/me")).StatusCode);

        clock.SetUtcNow(expiring.Key.ExpiresAt!.Value);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(expiring.Secret).GetAsync("/api/v1/me")).StatusCode);
    }

    private static VerifiedKey Key(string id, Guid workspace) =>
        new(id, "name", "kd_test_AbC4", KeyEnvironment.Test, workspace, "Acme", "user-1", "owner@acme.test", Roles.Owner, ["keys:read"],
            null, false, null, 0, WorkspacePlan.Free);
}
