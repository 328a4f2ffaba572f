using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Api;

/// <summary>Every authenticated call and every successful verify counts once: no more, no less, also across a shutdown.</summary>
public sealed class ApiUsageTests
{
    private const int Callers = 64;
    private const int CallsEach = 10;

    [Fact]
    public async Task Concurrent_calls_add_exactly_their_number_and_a_graceful_stop_loses_none()
    {
        var app = new KeyDashboardFactory { KeepDataDirectory = true };
        IssuedKey issued;
        await using (app)
        {
            issued = await app.CreateKeyAsync();
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
            {
                var client = app.ApiClient(issued.Secret, $"203.0.113.{caller + 1}");
                for (var i = 0; i < CallsEach; i++)
                    Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
            }));
        } // stops the host right after the last answer: whatever the timer has not written yet must be written now

        try
        {
            await using var db = OpenDatabase(app.DataDirectory);
            var key = await db.ApiKeys.SingleAsync(k => k.Id == issued.Key.Id);
            Assert.Equal(Callers * CallsEach, key.UsageCount);
            Assert.Equal(Callers * CallsEach, await db.KeyUsageDays.Where(u => u.ApiKeyId == key.Id).SumAsync(u => u.Count));
            Assert.NotNull(key.LastUsedAt);
            Assert.StartsWith("203.0.113.", key.LastUsedFrom);
            // The day of the last use has its one row, and that row counted it (the calls may straddle midnight UTC).
            var lastUsedDay = await db.KeyUsageDays.SingleAsync(u => u.ApiKeyId == key.Id && u.Day == DateOnly.FromDateTime(key.LastUsedAt!.Value.UtcDateTime));
            Assert.InRange(lastUsedDay.Count, 1, Callers * CallsEach);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(app.DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Usage_reaches_the_database_within_seconds_while_running_and_is_never_counted_twice()
    {
        await using var app = new KeyDashboardFactory();
        var issued = await app.CreateKeyAsync();
        var client = app.ApiClient(issued.Secret);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < 10; i++) await client.GetAsync("/api/v1/me");
        }));

        await WaitForUsageAsync(app, issued.Key.Id, 80);
        await Task.Delay(KeyUsageFlusher.Interval * 2);

        Assert.Equal(80, (await app.KeyRowAsync(issued.Key.Id)).UsageCount);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(81, me.GetProperty("usageCount").GetInt64());
    }

    [Fact]
    public async Task A_successful_verify_counts_and_a_refused_one_does_not()
    {
        await using var app = new KeyDashboardFactory();
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest(scopes: ["keys:read"]));
        var service = app.ServiceClient();

        for (var i = 0; i < 3; i++)
            Assert.True((await (await service.PostAsJsonAsync("/api/v1/verify", new { key = issued.Secret, scope = "keys:read" }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean());
        var missingScope = await (await service.PostAsJsonAsync("/api/v1/verify", new { key = issued.Secret, scope = "keys:write" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.False(missingScope.GetProperty("valid").GetBoolean());
        Assert.Equal("missing_scope", missingScope.GetProperty("reason").GetString());
        await WaitForUsageAsync(app, issued.Key.Id, 3);
    }

    [Fact]
    public async Task Using_the_old_secret_during_the_grace_period_shows_on_the_key()
    {
        await using var app = new KeyDashboardFactory();
        var issued = await app.CreateKeyAsync();
        await app.AsOwnerAsync((keys, actor, workspace) => keys.RotateAsync(actor, workspace, issued.Key.Id, RotationGrace.OneDay));
        var stampBefore = (await app.KeyRowAsync(issued.Key.Id)).ConcurrencyStamp;

        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(issued.Secret).GetAsync("/api/v1/me")).StatusCode);

        await WaitForUsageAsync(app, issued.Key.Id, 1);
        var row = await app.KeyRowAsync(issued.Key.Id);
        Assert.NotNull(row.PreviousSecretLastUsedAt);
        Assert.Equal(stampBefore, row.ConcurrencyStamp); // usage never conflicts with a rotation or revocation
    }

    private static async Task WaitForUsageAsync(KeyDashboardFactory app, string keyId, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        long seen;
        while ((seen = (await app.KeyRowAsync(keyId)).UsageCount) != expected && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.Equal(expected, seen);
    }

    private static AppDbContext OpenDatabase(string directory) =>
        new ServiceCollection().AddKeyDashboardData(WorldDatabaseCopies.Configuration(directory), directory).BuildServiceProvider()
            .GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
}
