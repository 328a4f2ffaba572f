using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Api;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Api;

public sealed class KeyEndpointTests(AppWithKeysInEveryState app) : IClassFixture<AppWithKeysInEveryState>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Create_answers_201_with_the_secret_once_and_a_Location_that_reads_the_key_without_it()
    {
        // Only a live key creates live keys (see LiveKeyThroughApiTests).
        var liveAdminKey = await app.CreateKeyAsync(WorldKeys.KeyRequest("admin-live", ["keys:read", "keys:write", "members:read"], app.World.Admin)
            with { Environment = KeyEnvironment.Live });
        var client = app.ApiClient(liveAdminKey.Secret);

        var response = await client.PostAsJsonAsync("/api/v1/keys", new
        {
            name = "crm-integration", description = "Syncs contacts", ownerUserId = app.World.Member.Id, environment = "live",
            scopes = new[] { "members:read", "keys:read" },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = (await response.Content.ReadFromJsonAsync<IssuedKeyResponse>(Json))!;
        Assert.StartsWith("kd_live_", issued.Secret);
        Assert.Equal(new[] { "keys:read", "members:read" }, issued.Key.Scopes);
        Assert.Equal(("crm-integration", "Syncs contacts", app.World.Member.Id, "live", "active"),
            (issued.Key.Name, issued.Key.Description, issued.Key.OwnerUserId, issued.Key.Environment, issued.Key.Status));
        Assert.Equal($"/api/v1/keys/{issued.Key.Id}", response.Headers.Location?.OriginalString);

        var read = await client.GetStringAsync(response.Headers.Location);
        Assert.DoesNotContain(issued.Secret, read);
        var key = JsonDocument.Parse(read).RootElement;
        Assert.Equal(issued.Key.Id, key.GetProperty("id").GetString());
        Assert.Equal(0, key.GetProperty("usageCount").GetInt64());
        Assert.Equal(JsonValueKind.Null, key.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, key.GetProperty("lastUsedFrom").ValueKind);
        Assert.DoesNotContain(key.EnumerateObject(), p => p.Name.Contains("hash", StringComparison.OrdinalIgnoreCase) || p.Name == "secret");
    }

    [Fact]
    public async Task A_key_shows_its_usage_count_and_last_use()
    {
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("used"));
        var lastUsed = new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero);
        await using (var db = await app.DbFactory.CreateDbContextAsync())
            await db.ApiKeys.Where(k => k.Id == key.Key.Id).ExecuteUpdateAsync(k => k
                .SetProperty(x => x.UsageCount, 1234).SetProperty(x => x.LastUsedAt, lastUsed).SetProperty(x => x.LastUsedFrom, "203.0.113.5"));

        var read = JsonDocument.Parse(await app.ApiClient(app.OwnerKey.Secret).GetStringAsync($"/api/v1/keys/{key.Key.Id}")).RootElement;

        Assert.Equal(1234, read.GetProperty("usageCount").GetInt64());
        Assert.Equal(lastUsed, read.GetProperty("lastUsedAt").GetDateTimeOffset());
        Assert.Equal("203.0.113.5", read.GetProperty("lastUsedFrom").GetString());
    }

    [Fact]
    public async Task List_pages_searches_and_filters_by_status()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++) await app.CreateKeyAsync(WorldKeys.KeyRequest($"list-{marker}-{i}"));
        var revoked = await app.CreateKeyAsync(WorldKeys.KeyRequest($"list-{marker}-revoked"));
        Assert.Equal(HttpStatusCode.NoContent, (await app.ApiClient(app.OwnerKey.Secret).DeleteAsync($"/api/v1/keys/{revoked.Key.Id}")).StatusCode);
        var client = app.ApiClient(app.OwnerKey.Secret);

        var firstPage = await client.GetFromJsonAsync<KeyListResponse>($"/api/v1/keys?search={marker}&pageSize=2&sort=name&order=asc", Json);
        var secondPage = await client.GetFromJsonAsync<KeyListResponse>($"/api/v1/keys?search={marker}&pageSize=2&page=1&sort=name&order=asc", Json);
        var revokedOnly = await client.GetFromJsonAsync<KeyListResponse>($"/api/v1/keys?search={marker}&status=revoked", Json);
        var activeOrRevoked = await client.GetFromJsonAsync<KeyListResponse>($"/api/v1/keys?search={marker}&status=active,revoked", Json);

        Assert.Equal(3, firstPage!.TotalCount);
        Assert.Equal([$"list-{marker}-0", $"list-{marker}-1"], firstPage.Items.Select(k => k.Name));
        Assert.Equal([$"list-{marker}-2"], secondPage!.Items.Select(k => k.Name));
        Assert.Equal([revoked.Key.Id], revokedOnly!.Items.Select(k => k.Id));
        Assert.Equal(4, activeOrRevoked!.TotalCount);
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent()
    {
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("before"));
        var client = app.ApiClient(app.OwnerKey.Secret);
        await client.PatchAsJsonAsync($"/api/v1/keys/{key.Key.Id}", new { description = "A description" });

        var response = await client.PatchAsJsonAsync($"/api/v1/keys/{key.Key.Id}", new { name = "after" });

        var edited = (await response.Content.ReadFromJsonAsync<ApiKeyResponse>(Json))!;
        Assert.Equal(("after", "A description"), (edited.Name, edited.Description));
    }

    [Fact]
    public async Task Rotate_issues_a_new_secret_and_keeps_the_old_one_for_the_grace_period()
    {
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("rotating"));

        var response = await app.ApiClient(app.OwnerKey.Secret).PostAsJsonAsync($"/api/v1/keys/{key.Key.Id}/rotate", new { grace = "1h" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = (await response.Content.ReadFromJsonAsync<IssuedKeyResponse>(Json))!;
        Assert.NotEqual(key.Secret, rotated.Secret);
        Assert.Equal(key.Key.Id, rotated.Key.Id);
        Assert.NotNull(rotated.Key.PreviousSecretValidUntil);
        Assert.InRange(rotated.Key.PreviousSecretValidUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));
    }

    [Fact]
    public async Task Rotating_a_revoked_key_is_a_409_conflict()
    {
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("gone"));
        var client = app.ApiClient(app.OwnerKey.Secret);
        await client.DeleteAsync($"/api/v1/keys/{key.Key.Id}");

        var response = await client.PostAsJsonAsync($"/api/v1/keys/{key.Key.Id}/rotate", new { grace = "none" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("revoked", (await ApiRefusalTests.ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_revokes_at_once_with_the_reason_and_the_key_stops_working()
    {
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("to-revoke", ["keys:read"]));
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(key.Secret).GetAsync("/api/v1/keys")).StatusCode);

        var response = await app.ApiClient(app.OwnerKey.Secret).DeleteAsync($"/api/v1/keys/{key.Key.Id}?reason=Leaked%20in%20a%20log");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var row = (await app.KeyRowAsync(key.Key.Id))!;
        Assert.NotNull(row.RevokedAt);
        Assert.Equal("Leaked in a log", row.RevokedReason);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(key.Secret).GetAsync("/api/v1/keys")).StatusCode);
    }

    [Fact]
    public async Task Usage_gives_the_last_30_days_oldest_first_with_days_without_requests_as_zero()
    {
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("charted"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var db = await app.DbFactory.CreateDbContextAsync())
        {
            db.KeyUsageDays.AddRange(
                new KeyUsageDay { ApiKeyId = key.Key.Id, Day = today.AddDays(-2), Count = 7 },
                new KeyUsageDay { ApiKeyId = key.Key.Id, Day = today.AddDays(-29), Count = 3 },
                new KeyUsageDay { ApiKeyId = key.Key.Id, Day = today.AddDays(-30), Count = 1000 });
            await db.SaveChangesAsync();
        }

        var usage = (await app.ApiClient(app.OwnerKey.Secret).GetFromJsonAsync<KeyUsageResponse>($"/api/v1/keys/{key.Key.Id}/usage", Json))!;

        Assert.Equal(30, usage.Days.Count);
        Assert.Equal((today.AddDays(-29), today), (usage.From, usage.To));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)), usage.Days.Select(d => d.Date));
        Assert.Equal(3, usage.Days[0].Count);
        Assert.Equal(7, usage.Days[27].Count);
        Assert.Equal(10, usage.Total);
        Assert.Equal(28, usage.Days.Count(d => d.Count == 0));
    }

    [Fact]
    public async Task Members_lists_the_keys_workspace_with_roles()
    {
        var members = await app.ApiClient(app.MemberKeyWithWriteScopes.Secret).GetFromJsonAsync<List<MemberResponse>>("/api/v1/members", Json);
        var otherMembers = await app.ApiClient(app.OtherWorkspaceKey.Secret).GetFromJsonAsync<List<MemberResponse>>("/api/v1/members", Json);

        Assert.Equal([("admin@acme.test", "admin"), ("member@acme.test", "member"), ("owner@acme.test", "owner")],
            members!.Select(m => (m.Email, m.Role)));
        Assert.Equal([app.World.OtherAdmin.Email], otherMembers!.Select(m => m.Email));
    }
}
