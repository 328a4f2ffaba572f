using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Tests.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using static KeyDashboard.Tests.Keys.KeyPowerTests;

namespace KeyDashboard.Tests.Api;

/// <summary>A key never mints more power than it has: <see cref="KeyPowerTests"/>' matrix over HTTP, and the attacks that found it.</summary>
public sealed class KeyPowerEndpointTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    public static TheoryData<Call, string, string, Via> ApiCases()
    {
        var cases = new TheoryData<Call, string, string, Via>();
        foreach (var (call, actorRole, ownerRole, via) in Cases().Select(c => ((Call)c[0], (string)c[1], (string)c[2], (Via)c[3])))
            if (via != Via.Dashboard) cases.Add(call, actorRole, ownerRole, via);
        return cases;
    }

    [Theory]
    [MemberData(nameof(ApiCases))]
    public async Task A_key_creates_or_rotates_only_within_its_owners_rank_and_its_own_scopes(Call call, string actorRole, string ownerRole, Via via)
    {
        var acting = await app.CreateKeyAsync(WorldKeys.KeyRequest("acting", ActingKeyScopes(via), UserWith(actorRole)));
        var owner = UserWith(ownerRole);
        var target = call == Call.Rotate ? await app.CreateKeyAsync(WorldKeys.KeyRequest("target", KeyScopes, owner)) : null;
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        var client = app.ApiClient(acting.Secret);
        var response = call == Call.Create
            ? await client.PostAsJsonAsync("/api/v1/keys", new { name = "minted", ownerUserId = owner.Id, scopes = KeyScopes })
            : await client.PostAsJsonAsync($"/api/v1/keys/{target!.Key.Id}/rotate", new { grace = "1h" });

        if (ExpectedRefusal(call, actorRole, ownerRole, via) is { } refusal)
        {
            await AssertForbiddenAsync(response, refusal);
            Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
        }
        else
            Assert.Equal(call == Call.Create ? HttpStatusCode.Created : HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_keys_write_only_key_cannot_mint_a_key_that_reads_the_audit_log_and_changes_the_workspace()
    {
        var keysWriteOnly = await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", ["keys:write"]));
        var before = await DatabaseSnapshot.CountsAsync(app);

        var response = await app.ApiClient(keysWriteOnly.Secret).PostAsJsonAsync("/api/v1/keys",
            new { name = "escalated", scopes = new[] { "audit:read", "workspace:write" } });

        await AssertForbiddenAsync(response, "A key can create keys only with scopes it holds itself; this key lacks audit:read, workspace:write.");
        Assert.Equal(before, await DatabaseSnapshot.CountsAsync(app));
    }

    [Fact]
    public async Task An_admins_key_cannot_mint_a_key_owned_by_the_owner()
    {
        var adminsKey = await app.CreateKeyAsync(WorldKeys.KeyRequest("admin-automation", ["keys:write", "keys:read"], app.World.Admin));
        var before = await DatabaseSnapshot.CountsAsync(app);

        var response = await app.ApiClient(adminsKey.Secret).PostAsJsonAsync("/api/v1/keys",
            new { name = "acts-as-owner", ownerUserId = app.World.Owner.Id, scopes = new[] { "keys:read" } });

        await AssertForbiddenAsync(response, Permissions.CreateKeyForHigherRoleRefusal);
        Assert.Equal(before, await DatabaseSnapshot.CountsAsync(app));
    }

    [Fact]
    public async Task An_admins_key_cannot_take_a_new_secret_for_the_owners_key()
    {
        var adminsKey = await app.CreateKeyAsync(WorldKeys.KeyRequest("admin-automation", ["keys:write", "keys:read"], app.World.Admin));
        var ownersKey = await app.CreateKeyAsync(WorldKeys.KeyRequest("owner-automation", ["keys:read"]));

        var response = await app.ApiClient(adminsKey.Secret).PostAsJsonAsync($"/api/v1/keys/{ownersKey.Key.Id}/rotate", new { grace = "none" });

        await AssertForbiddenAsync(response, Permissions.RotateKeyOfHigherRoleRefusal);
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(ownersKey.Secret).GetAsync($"/api/v1/keys/{ownersKey.Key.Id}")).StatusCode);
    }

    private ApplicationUser UserWith(string role) => role switch
    {
        Roles.Owner => app.World.Owner,
        Roles.Admin => app.World.Admin,
        _ => app.World.Member,
    };

    private static async Task AssertForbiddenAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Equal(reason, problem.GetProperty("detail").GetString());
    }
}
