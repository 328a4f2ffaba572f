using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// A person confirms it's them before creating or rotating a live key; a key has no session to confirm. So the way round
/// it, a test key (which needs no confirmation) minting live keys through the API, is shut: only a live key does that.
/// </summary>
public sealed class LiveKeyThroughApiTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private static readonly string[] Automation = ["keys:read", "keys:write"];

    [Fact]
    public async Task An_admin_whose_sign_in_is_old_cannot_mint_a_live_key_through_a_test_key_of_their_own()
    {
        var admin = app.World.Admin;
        var oldSession = new Actor(admin.Id, admin.Email!) { SessionId = app.AddSession(admin, app.Clock.GetUtcNow().AddHours(-1)) };
        await using var scope = app.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        var direct = await keys.CreateAsync(oldSession, app.World.Workspace.Id, WorldKeys.KeyRequest("direct") with { Environment = KeyEnvironment.Live });
        Assert.Equal(OperationStatus.ReauthenticationRequired, direct.Status);
        var testKey = await keys.CreateAsync(oldSession, app.World.Workspace.Id, WorldKeys.KeyRequest("automation", Automation));
        Assert.True(testKey.Succeeded, testKey.Message);
        var before = await DatabaseSnapshot.CountsAsync(app);

        var response = await app.ApiClient(testKey.Value!.Secret).PostAsJsonAsync("/api/v1/keys",
            new { name = "minted-live", environment = "live", scopes = new[] { "keys:read" } });

        await AssertForbiddenAsync(response, Permissions.LiveKeyThroughTestKeyRefusal);
        Assert.Equal(before, await DatabaseSnapshot.CountsAsync(app));
    }

    [Fact]
    public async Task A_test_key_cannot_take_a_new_secret_for_a_live_key()
    {
        var testKey = await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", Automation));
        var live = await app.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        var response = await app.ApiClient(testKey.Secret).PostAsJsonAsync($"/api/v1/keys/{live.Key.Id}/rotate", new { grace = "none" });

        await AssertForbiddenAsync(response, Permissions.LiveKeyThroughTestKeyRefusal);
        Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(live.Secret).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_test_key_cannot_widen_a_live_key_but_may_narrow_it()
    {
        var testKey = await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", Automation));
        var live = await app.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app", ["keys:read", "usage:read"]) with { Environment = KeyEnvironment.Live });
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        var widened = await app.ApiClient(testKey.Secret).PatchAsJsonAsync($"/api/v1/keys/{live.Key.Id}", new { scopes = new[] { "keys:read", "keys:write", "usage:read" } });

        await AssertForbiddenAsync(widened, Permissions.LiveKeyThroughTestKeyRefusal);
        Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
        var narrowed = await app.ApiClient(testKey.Secret).PatchAsJsonAsync($"/api/v1/keys/{live.Key.Id}", new { scopes = new[] { "keys:read" } });
        Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
    }

    [Fact]
    public async Task A_live_key_creates_and_rotates_live_keys_without_being_asked_to_confirm()
    {
        var liveAutomation = await app.CreateKeyAsync(WorldKeys.KeyRequest("live-automation", Automation) with { Environment = KeyEnvironment.Live });
        var client = app.ApiClient(liveAutomation.Secret);

        var created = await client.PostAsJsonAsync("/api/v1/keys", new { name = "minted-live", environment = "live", scopes = new[] { "keys:read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var minted = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("kd_live_", minted.GetProperty("secret").GetString());

        var rotated = await client.PostAsJsonAsync($"/api/v1/keys/{minted.GetProperty("key").GetProperty("id").GetString()}/rotate", new { grace = "none" });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reason, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }
}
