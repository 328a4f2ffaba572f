using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KeyDashboard.Api;
using KeyDashboard.Audit;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Api;

public sealed class AuditEndpointTests(AppWithKeysInEveryState app) : IClassFixture<AppWithKeysInEveryState>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const string ClientAddress = "203.0.113.77";

    [Fact]
    public async Task Writes_through_the_API_are_audited_with_the_key_as_actor_and_the_client_address()
    {
        var key = app.AdminKey;
        var created = await SendFromAsync("POST", "/api/v1/keys", key.Secret, """{"name":"audited","scopes":["keys:read"]}""");
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("key").GetProperty("id").GetString()!;
        await SendFromAsync("PATCH", $"/api/v1/keys/{id}", key.Secret, """{"name":"audited-renamed"}""");
        await SendFromAsync("POST", $"/api/v1/keys/{id}/rotate", key.Secret, """{"grace":"none"}""");
        await SendFromAsync("DELETE", $"/api/v1/keys/{id}?reason=done", key.Secret, null);

        await using var db = await app.DbFactory.CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.TargetId == id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditActions.KeyCreated, AuditActions.KeyEdited, AuditActions.KeyRotated, AuditActions.KeyRevoked], entries.Select(e => e.Action));
        Assert.All(entries, e =>
        {
            Assert.Equal(AuditActorType.Key, e.ActorType);
            Assert.Equal(key.Key.Id, e.ActorId);
            Assert.Equal(ClientAddress, e.ClientAddress);
            Assert.Equal(app.World.Workspace.Id, e.WorkspaceId);
        });

        var viaApi = await app.ApiClient(app.OwnerKey.Secret).GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?actor={key.Key.Id}&key={id}", Json);
        Assert.Equal(["key.revoked", "key.rotated", "key.edited", "key.created"], viaApi!.Items.Select(e => e.Action));
        Assert.All(viaApi.Items, e => Assert.Equal(("key", key.Key.Id), (e.ActorType, e.ActorId)));
    }

    [Fact]
    public async Task Filters_by_action_and_date_range_and_pages_newest_first()
    {
        var client = app.ApiClient(app.OwnerKey.Secret);
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("audit-filter"));
        await client.DeleteAsync($"/api/v1/keys/{target.Key.Id}");

        var revocations = await client.GetFromJsonAsync<AuditPageResponse>("/api/v1/audit?action=key.revoked", Json);
        var future = await client.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}", Json);
        var past = await client.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}", Json);
        var pageOfOne = await client.GetFromJsonAsync<AuditPageResponse>("/api/v1/audit?pageSize=1", Json);

        Assert.NotEmpty(revocations!.Items);
        Assert.All(revocations.Items, e => Assert.Equal("key.revoked", e.Action));
        Assert.Contains(revocations.Items, e => e.TargetId == target.Key.Id);
        Assert.Empty(future!.Items);
        Assert.Empty(past!.Items);
        Assert.Single(pageOfOne!.Items);
        Assert.True(pageOfOne.TotalCount > 1);
        Assert.Equal(revocations.Items[0].Id, revocations.Items.Max(e => e.Id));
    }

    [Fact]
    public async Task The_actor_filter_takes_a_user_or_key_id_exactly_or_part_of_the_actors_name()
    {
        var created = await SendFromAsync("POST", "/api/v1/keys", app.AdminKey.Secret, """{"name":"actor-filter","scopes":["keys:read"]}""");
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        var id = JsonDocument.Parse(created.Body).RootElement.GetProperty("key").GetProperty("id").GetString()!;
        var client = app.ApiClient(app.OwnerKey.Secret);

        var byKeyId = await client.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?actor={app.AdminKey.Key.Id}&pageSize=100", Json);
        var byName = await client.GetFromJsonAsync<AuditPageResponse>("/api/v1/audit?actor=ADMIN-ALL&pageSize=100", Json);
        var byUserId = await client.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?actor={app.World.Owner.Id}&pageSize=100", Json);
        var byPartOfAnId = await client.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?actor={app.World.Owner.Id[..^1]}", Json);

        Assert.Contains(byKeyId!.Items, e => e.TargetId == id);
        Assert.All(byKeyId.Items, e => Assert.Equal(app.AdminKey.Key.Id, e.ActorId));
        Assert.Contains(byName!.Items, e => e.TargetId == id);
        Assert.All(byName.Items, e => Assert.Contains("admin-all", e.ActorName, StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(byUserId!.Items);
        Assert.All(byUserId.Items, e => Assert.Equal(app.World.Owner.Id, e.ActorId));
        Assert.Empty(byPartOfAnId!.Items);
    }

    [Fact]
    public async Task The_date_range_includes_from_and_excludes_to_whatever_the_offset()
    {
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("audit-range"));
        await app.ApiClient(app.OwnerKey.Secret).DeleteAsync($"/api/v1/keys/{target.Key.Id}");
        var client = app.ApiClient(app.OwnerKey.Secret);
        var revoked = Assert.Single((await client.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?key={target.Key.Id}&action=key.revoked", Json))!.Items);
        var at = revoked.At;

        async Task<IReadOnlyList<AuditEntryResponse>> InRangeAsync(DateTimeOffset? from, DateTimeOffset? to)
        {
            var range = (from is null ? "" : $"&from={Uri.EscapeDataString(from.Value.ToString("O"))}")
                + (to is null ? "" : $"&to={Uri.EscapeDataString(to.Value.ToString("O"))}");
            return (await client.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?key={target.Key.Id}&action=key.revoked{range}", Json))!.Items;
        }

        Assert.Single(await InRangeAsync(at, at.AddMilliseconds(1)));
        Assert.Empty(await InRangeAsync(null, at));
        Assert.Single(await InRangeAsync(at.ToOffset(TimeSpan.FromHours(2)), null));
        Assert.Empty(await InRangeAsync(null, at.ToOffset(TimeSpan.FromHours(-5))));
        // Consecutive ranges share their boundary, and the entry lands in exactly one of them.
        Assert.Single((await InRangeAsync(at.AddHours(-1), at)).Concat(await InRangeAsync(at, at.AddHours(1))));
    }

    [Theory]
    [InlineData("page=-1", "page")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    public async Task Bad_paging_or_a_backwards_range_gets_a_400_naming_the_field(string query, string field) =>
        await AssertRefusedNamingAsync(query, field);

    [Theory]
    [InlineData("actor", 257)]
    [InlineData("action", 65)]
    [InlineData("key", 65)]
    public async Task A_filter_longer_than_anything_stored_gets_a_400_naming_the_field(string field, int length) =>
        await AssertRefusedNamingAsync($"{field}={new string('x', length)}", field);

    [Fact]
    public async Task Another_workspaces_key_sees_only_its_own_workspaces_entries()
    {
        var entries = await app.ApiClient(app.OtherWorkspaceKey.Secret).GetFromJsonAsync<AuditPageResponse>("/api/v1/audit?pageSize=100", Json);

        await using var db = await app.DbFactory.CreateDbContextAsync();
        var otherIds = await db.AuditEntries.Where(e => e.WorkspaceId == app.World.OtherWorkspace.Id).Select(e => e.Id).ToListAsync();
        Assert.Equal(otherIds.Order(), entries!.Items.Select(e => e.Id).Order());
    }

    private async Task AssertRefusedNamingAsync(string query, string field)
    {
        var response = await app.ApiClient(app.OwnerKey.Secret).GetAsync($"/api/v1/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
    }

    private async Task<(HttpStatusCode Status, string Body)> SendFromAsync(string method, string path, string secret, string? json)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await app.ApiClient(secret, ClientAddress).SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
