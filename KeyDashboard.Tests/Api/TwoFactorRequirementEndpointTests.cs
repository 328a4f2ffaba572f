using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// The workspace's two-factor requirement over HTTP: a key acts as its owner, so the key of an owner or admin without
/// two-factor authentication manages nothing while the requirement is on, and reads as before. The hot path pays
/// nothing for it: a cached key's reads and <c>/verify</c> make no query.
/// </summary>
public sealed class TwoFactorRequirementEndpointTests
{
    private static readonly string[] AllKeyScopes = ["keys:read", "keys:write", "keys:delete", "members:read"];

    public enum Write { Create, Edit, Rotate, Revoke }

    [Theory]
    [InlineData(Write.Create)]
    [InlineData(Write.Edit)]
    [InlineData(Write.Rotate)]
    [InlineData(Write.Revoke)]
    public async Task An_admins_key_without_two_factor_is_refused_every_key_change_and_nothing_changes(Write write)
    {
        await using var app = new KeyDashboardFactory();
        var (acting, target) = await KeysOfAsync(app, app.World.Admin);
        await app.RequireTwoFactorAsync();
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        var response = await SendAsync(app.ApiClient(acting.Secret), write, target.Key.Id);

        await AssertRefusedAsync(response);
        Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
    }

    [Fact]
    public async Task The_same_key_still_reads_keys_members_and_itself()
    {
        await using var app = new KeyDashboardFactory();
        var (acting, target) = await KeysOfAsync(app, app.World.Admin);
        await app.RequireTwoFactorAsync();
        var client = app.ApiClient(acting.Secret);

        foreach (var path in new[] { "/api/v1/keys", $"/api/v1/keys/{target.Key.Id}", "/api/v1/members", "/api/v1/me" })
            Assert.Equal((path, HttpStatusCode.OK), (path, (await client.GetAsync(path)).StatusCode));
    }

    [Fact]
    public async Task An_owners_key_is_refused_too_and_works_once_the_owner_turns_on_two_factor()
    {
        await using var app = new KeyDashboardFactory();
        var (acting, _) = await KeysOfAsync(app, app.World.Owner);
        await app.RequireTwoFactorAsync();
        var client = app.ApiClient(acting.Secret);

        await AssertRefusedAsync(await SendAsync(client, Write.Create, null));
        await app.EnableTwoFactorAsync(app.World.Owner);

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, Write.Create, null)).StatusCode);
    }

    [Fact]
    public async Task Turning_the_requirement_on_refuses_a_key_already_in_use_at_its_next_call()
    {
        await using var app = new KeyDashboardFactory();
        var (acting, target) = await KeysOfAsync(app, app.World.Admin);
        var client = app.ApiClient(acting.Secret);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, Write.Edit, target.Key.Id)).StatusCode);
        await app.EnableTwoFactorAsync(app.World.Owner);

        var turnedOn = await app.Services.GetRequiredService<WorkspaceSettingsService>()
            .ChangeTwoFactorRequirementAsync(app.ActorFor(app.World.Owner), app.World.Workspace.Id, require: true);

        Assert.True(turnedOn.Succeeded, turnedOn.Message);
        await AssertRefusedAsync(await SendAsync(client, Write.Edit, target.Key.Id));
    }

    [Fact]
    public async Task Another_workspaces_requirement_does_not_refuse_this_workspaces_key()
    {
        await using var app = new KeyDashboardFactory();
        var (acting, _) = await KeysOfAsync(app, app.World.OtherAdmin, app.World.OtherWorkspace);
        await app.RequireTwoFactorAsync(app.World.Workspace);

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(app.ApiClient(acting.Secret), Write.Create, null)).StatusCode);
    }

    [Fact]
    public async Task A_cached_keys_reads_and_verify_make_no_query_with_the_requirement_on()
    {
        var commands = new CommandCounter();
        await using var app = new KeyDashboardFactory { ConfigureServices = services => services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(commands)) };
        var (acting, _) = await KeysOfAsync(app, app.World.Admin);
        await app.RequireTwoFactorAsync();
        var client = app.ApiClient(acting.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        var before = commands.Queries;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        var verify = await app.ServiceClient().PostAsJsonAsync("/api/v1/verify", new { key = acting.Secret });
        Assert.True((await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean());

        Assert.Equal(before, commands.Queries);
    }

    /// <summary>A key of <paramref name="owner"/> with every key scope, and a member's key to act on; made before the requirement is on.</summary>
    private static async Task<(IssuedKey Acting, IssuedKey Target)> KeysOfAsync(KeyDashboardFactory app, ApplicationUser owner, Workspace? workspace = null)
    {
        var by = workspace is null ? null : owner;
        var acting = await app.CreateKeyAsync(WorldKeys.KeyRequest("automation", AllKeyScopes, owner), by, workspace);
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("target", ["keys:read"], workspace is null ? app.World.Member : owner), by, workspace);
        return (acting, target);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Write write, string? keyId) => write switch
    {
        Write.Create => client.PostAsJsonAsync("/api/v1/keys", new { name = "minted", scopes = new[] { "keys:read" } }),
        Write.Edit => client.PatchAsJsonAsync($"/api/v1/keys/{keyId}", new { name = "renamed" }),
        Write.Rotate => client.PostAsJsonAsync($"/api/v1/keys/{keyId}/rotate", new { grace = "none" }),
        _ => client.DeleteAsync($"/api/v1/keys/{keyId}?reason=rotated+out"),
    };

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Equal(Permissions.ManageKeysWithoutTwoFactorRefusal, problem.GetProperty("detail").GetString());
    }
}
