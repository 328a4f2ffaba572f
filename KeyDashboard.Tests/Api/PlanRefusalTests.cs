using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Api.KeyAuthentication;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// The attack: keep using a live key after the workspace went back to Free, the way an integration would. Every
/// key-authenticated endpoint refuses it with 403, verify says why, and an upgrade restores it at the next request.
/// </summary>
public sealed class PlanRefusalTests
{
    private static readonly string[] AllReads = ["keys:read", "keys:write", "usage:read", "members:read", "audit:read"];

    [Fact]
    public async Task A_live_key_of_a_free_workspace_gets_403_with_the_reason_on_every_endpoint_it_calls()
    {
        await using var app = new KeyDashboardFactory();
        var live = await app.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app", AllReads) with { Environment = KeyEnvironment.Live });
        var client = app.ApiClient(live.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode); // now in the verified-key cache
        await ChangePlanAsync(app, WorkspacePlan.Free);
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        foreach (var (method, path) in KeyAuthenticatedCalls(live.Key.Id))
        {
            using var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
                request.Content = JsonContent.Create(new { name = "minted", scopes = new[] { "keys:read" }, grace = "none" });
            await AssertPlanRefusalAsync(await client.SendAsync(request), $"{method} {path}");
        }

        Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
        // None of the refused calls counted as a use: after the upgrade, the first call is its second.
        await ChangePlanAsync(app, WorkspacePlan.Paid);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("usageCount").GetInt64());
    }

    [Fact]
    public async Task Verify_answers_plan_upgrade_required_for_a_live_key_of_a_free_workspace_and_valid_for_its_test_keys()
    {
        await using var app = new KeyDashboardFactory();
        var live = await app.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        var test = await app.CreateKeyAsync(WorldKeys.KeyRequest("staging"));
        Assert.True((await VerifyAsync(app, live.Secret)).GetProperty("valid").GetBoolean());
        await ChangePlanAsync(app, WorkspacePlan.Free);

        var refused = await VerifyAsync(app, live.Secret, scope: "keys:read");
        Assert.False(refused.GetProperty("valid").GetBoolean());
        Assert.Equal("plan_upgrade_required", refused.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("keyId").ValueKind);
        Assert.True((await VerifyAsync(app, test.Secret, scope: "keys:read")).GetProperty("valid").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(test.Secret).GetAsync("/api/v1/keys")).StatusCode);
    }

    [Fact]
    public async Task Upgrading_restores_the_live_keys_at_the_very_next_request_and_downgrading_refuses_them_at_once()
    {
        await using var app = new KeyDashboardFactory();
        var live = await app.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        var client = app.ApiClient(live.Secret);
        await ChangePlanAsync(app, WorkspacePlan.Free);
        // Twice: the second answer comes from the verified-key cache, which must not outlive the upgrade.
        await AssertPlanRefusalAsync(await client.GetAsync("/api/v1/me"), "first");
        await AssertPlanRefusalAsync(await client.GetAsync("/api/v1/me"), "cached");

        await ChangePlanAsync(app, WorkspacePlan.Paid);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.True((await VerifyAsync(app, live.Secret)).GetProperty("valid").GetBoolean());

        await ChangePlanAsync(app, WorkspacePlan.Free);
        await AssertPlanRefusalAsync(await client.GetAsync("/api/v1/me"), "after the downgrade");
    }

    [Fact]
    public async Task Refused_live_keys_count_as_no_failed_authentication_so_they_lock_no_address_out()
    {
        await using var app = new KeyDashboardFactory();
        var live = await app.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        var test = await app.CreateKeyAsync(WorldKeys.KeyRequest("staging"));
        await ChangePlanAsync(app, WorkspacePlan.Free);

        for (var i = 0; i < 30; i++) await AssertPlanRefusalAsync(await app.ApiClient(live.Secret).GetAsync("/api/v1/me"), $"call {i}");

        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(test.Secret).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task The_authenticator_refuses_a_live_key_of_a_free_workspace_for_the_plan_and_nothing_else()
    {
        await using var app = new KeyDashboardFactory();
        var live = await app.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        await app.UpdateWorkspaceAsync(app.World.Workspace, w => w.Plan = WorkspacePlan.Free);

        var check = await app.Services.GetRequiredService<ApiKeyAuthenticator>()
            .CheckMatchAsync((await app.LookupAsync(live.Secret))!, app.Clock.GetUtcNow());

        Assert.Null(check.Key);
        Assert.Equal(KeyRefusal.PlanUpgradeRequired, check.Refusal);
        Assert.Equal(live.Key.Id, check.KeyId);
    }

    private static IEnumerable<(HttpMethod, string)> KeyAuthenticatedCalls(string keyId) =>
    [
        (HttpMethod.Get, "/api/v1/me"),
        (HttpMethod.Get, "/api/v1/keys"),
        (HttpMethod.Get, $"/api/v1/keys/{keyId}"),
        (HttpMethod.Post, "/api/v1/keys"),
        (HttpMethod.Patch, $"/api/v1/keys/{keyId}"),
        (HttpMethod.Post, $"/api/v1/keys/{keyId}/rotate"),
        (HttpMethod.Delete, $"/api/v1/keys/{keyId}"),
        (HttpMethod.Get, $"/api/v1/keys/{keyId}/usage"),
        (HttpMethod.Get, "/api/v1/members"),
        (HttpMethod.Get, "/api/v1/audit"),
    ];

    private static async Task ChangePlanAsync(KeyDashboardFactory app, WorkspacePlan plan)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkspaceSettingsService>()
            .ChangePlanAsync(app.ActorFor(app.World.Owner), app.World.Workspace.Id, plan);
        Assert.True(result.Succeeded, result.Message);
    }

    private static async Task<JsonElement> VerifyAsync(KeyDashboardFactory app, string key, string? scope = null)
    {
        var response = await app.ServiceClient().PostAsJsonAsync("/api/v1/verify", new { key, scope });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task AssertPlanRefusalAsync(HttpResponseMessage response, string call)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{call}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Headers.WwwAuthenticate);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ApiKeyAuthenticationHandler.PlanUpgradeRequired, problem.GetProperty("title").GetString());
        Assert.Contains("This workspace's plan does not include live keys", problem.GetProperty("detail").GetString());
        Assert.Equal("plan_upgrade_required", problem.GetProperty("reason").GetString());
    }
}
