using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Api;

/// <summary><c>PATCH /api/v1/keys/{id}</c> with scopes and expiry, attacked: more than the calling key holds, a later expiry, another workspace.</summary>
public sealed class KeyScopeEditEndpointTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private static readonly string[] Manager = ["keys:read", "keys:write", "usage:read"];

    [Fact]
    public async Task Narrowed_scopes_and_an_earlier_expiry_apply_at_the_edited_keys_very_next_request()
    {
        var manager = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", Manager, app.World.Admin))).Secret);
        var edited = await app.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", ["keys:read", "usage:read"], app.World.Admin));
        var client = app.ApiClient(edited.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/keys")).StatusCode); // now in the verified-key cache
        var earlier = edited.Key.ExpiresAt!.Value.AddDays(-100);

        var response = await manager.PatchAsJsonAsync($"/api/v1/keys/{edited.Key.Id}", new { scopes = new[] { "usage:read" }, expiresAt = earlier });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["usage:read"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(earlier, body.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal("crm-sync", body.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/keys")).StatusCode);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(earlier, me.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_key_cannot_grant_a_scope_it_does_not_hold_itself()
    {
        var manager = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", Manager, app.World.Admin))).Secret);
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", ["keys:read"], app.World.Admin));

        var response = await manager.PatchAsJsonAsync($"/api/v1/keys/{target.Key.Id}", new { scopes = new[] { "keys:read", "keys:delete", "members:write" } });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "A key can grant only scopes it holds itself; this key lacks keys:delete, members:write.");
        Assert.Equal(["keys:read"], (await app.KeyRowAsync(target.Key.Id)).Scopes);
    }

    [Fact]
    public async Task An_admins_key_holding_a_scope_only_owners_may_use_cannot_grant_it()
    {
        var manager = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", [.. Manager, "workspace:write"], app.World.Admin))).Secret);
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", ["keys:read"], app.World.Admin));

        var response = await manager.PatchAsJsonAsync($"/api/v1/keys/{target.Key.Id}", new { scopes = new[] { "keys:read", "workspace:write" } });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "You can grant only what your role allows: an admin may not workspace:write.");
        Assert.Equal(["keys:read"], (await app.KeyRowAsync(target.Key.Id)).Scopes);
    }

    [Theory]
    [InlineData("""{ "expiresAt": "2999-01-01T00:00:00Z" }""", "expiresAt")]
    [InlineData("""{ "expiresAt": "2000-01-01T00:00:00Z" }""", "expiresAt")]
    [InlineData("""{ "scopes": [] }""", "scopes")]
    [InlineData("""{ "scopes": ["keys:launch"] }""", "scopes")]
    public async Task Bad_scopes_or_expiry_get_400_and_change_nothing(string body, string field)
    {
        var manager = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", Manager, app.World.Admin))).Secret);
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", ["keys:read"], app.World.Admin));
        var before = await app.KeyRowAsync(target.Key.Id);

        var response = await manager.PatchAsync($"/api/v1/keys/{target.Key.Id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        var after = await app.KeyRowAsync(target.Key.Id);
        Assert.Equal((string.Join(",", before.Scopes), before.ExpiresAt, before.ConcurrencyStamp), (string.Join(",", after.Scopes), after.ExpiresAt, after.ConcurrencyStamp));
    }

    [Fact]
    public async Task Without_a_key_401_with_a_read_only_key_403_and_for_another_workspaces_key_404()
    {
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", ["keys:read"], app.World.Admin));
        var theirs = await app.CreateKeyAsync(WorldKeys.KeyRequest("other-app", ["keys:read"]), app.World.OtherAdmin, app.World.OtherWorkspace);
        var readOnly = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("reader", ["keys:read"], app.World.Admin))).Secret);
        var manager = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", Manager, app.World.Admin))).Secret);
        var widen = new { scopes = new[] { "keys:read", "usage:read" } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient().PatchAsJsonAsync($"/api/v1/keys/{target.Key.Id}", widen)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PatchAsJsonAsync($"/api/v1/keys/{target.Key.Id}", widen)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.PatchAsJsonAsync($"/api/v1/keys/{theirs.Key.Id}", widen)).StatusCode);
        Assert.Equal(["keys:read"], (await app.KeyRowAsync(target.Key.Id)).Scopes);
        Assert.Equal(["keys:read"], (await app.KeyRowAsync(theirs.Key.Id)).Scopes);
    }

    [Fact]
    public async Task A_revoked_key_gets_409_and_keeps_its_name_and_scopes()
    {
        var manager = app.ApiClient((await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", Manager, app.World.Admin))).Secret);
        var revoked = await app.CreateKeyAsync(WorldKeys.KeyRequest("leaked", ["keys:read", "usage:read"], app.World.Admin));
        await app.AsOwnerAsync((keys, owner, workspaceId) => keys.RevokeAsync(owner, workspaceId, revoked.Key.Id, "leaked"));
        var before = await app.KeyRowAsync(revoked.Key.Id);

        var response = await manager.PatchAsJsonAsync($"/api/v1/keys/{revoked.Key.Id}", new { name = "innocent", scopes = new[] { "keys:read" } });

        await AssertProblemAsync(response, HttpStatusCode.Conflict, KeyStateRefusals.EditRevoked);
        var after = await app.KeyRowAsync(revoked.Key.Id);
        Assert.Equal((before.Name, string.Join(",", before.Scopes), before.ConcurrencyStamp), (after.Name, string.Join(",", after.Scopes), after.ConcurrencyStamp));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
