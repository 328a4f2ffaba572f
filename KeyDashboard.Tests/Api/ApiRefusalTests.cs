using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KeyDashboard.Tests.Api.ApiAccessMatrixTests;

namespace KeyDashboard.Tests.Api;

/// <summary>What a refused call answers: one 401 body for every bad credential, a 403 that names the permission.</summary>
public sealed class ApiRefusalTests(AppWithKeysInEveryState app) : IClassFixture<AppWithKeysInEveryState>
{
    private static readonly Caller[] Unauthenticated =
        [Caller.NoKey, Caller.Malformed, Caller.BadChecksum, Caller.Unknown, Caller.Expired, Caller.Revoked, Caller.RotatedAfterGrace];

    [Fact]
    public async Task Every_bad_credential_gets_the_same_401_body_byte_for_byte_with_WWW_Authenticate_Bearer()
    {
        var matrix = new ApiAccessMatrixTests(app);
        var bodies = new Dictionary<string, byte[]>();
        foreach (var endpoint in Endpoints.Where(e => !e.TargetsKey))
            foreach (var caller in Unauthenticated)
            {
                var response = await matrix.SendAsync(endpoint, caller, null);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
                bodies[$"{endpoint} as {caller}"] = await response.Content.ReadAsByteArrayAsync();
            }

        var first = bodies.First();
        Assert.Equal(401, JsonDocument.Parse(first.Value).RootElement.GetProperty("status").GetInt32());
        foreach (var (name, body) in bodies)
            Assert.True(first.Value.AsSpan().SequenceEqual(body), $"{name} answered a different 401 body than {first.Key}.");
    }

    [Theory]
    [InlineData("POST", "/api/v1/keys", "keys:write")]
    [InlineData("GET", "/api/v1/keys", "keys:read")]
    [InlineData("GET", "/api/v1/members", "members:read")]
    [InlineData("GET", "/api/v1/audit", "audit:read")]
    public async Task A_key_without_the_scope_gets_a_403_naming_the_scope(string method, string path, string scope)
    {
        var response = await app.ApiClient(app.KeyWithoutScopes.Secret).SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("{\"name\":\"x\",\"scopes\":[\"keys:read\"]}", System.Text.Encoding.UTF8, "application/json") : null,
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal($"This key lacks the scope {scope}.", problem.GetProperty("detail").GetString());
        Assert.Equal(scope, problem.GetProperty("permission").GetString());
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter!.Contains("insufficient_scope"));
    }

    [Theory]
    [InlineData("POST", "/api/v1/keys", "keys:write")]
    [InlineData("DELETE", "/api/v1/keys/{id}", "keys:delete")]
    [InlineData("GET", "/api/v1/audit", "audit:read")]
    public async Task A_members_key_with_the_scope_gets_a_403_naming_the_role(string method, string path, string scope)
    {
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("target"));
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        var response = await app.ApiClient(app.MemberKeyWithWriteScopes.Secret).SendAsync(
            new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", target.Key.Id))
            {
                Content = method == "POST" ? new StringContent("{\"name\":\"x\",\"scopes\":[\"keys:read\"]}", System.Text.Encoding.UTF8, "application/json") : null,
            });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($"The key's owner, a member, may not {scope}.", (await ProblemAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
    }

    [Fact]
    public async Task Lowering_the_owners_role_narrows_the_key_at_once()
    {
        var admin = await app.AddMemberAsync(Roles.Admin);
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest("demoted-admin", AppWithKeysInEveryState.AllScopes, owner: admin));
        var client = app.ApiClient(key.Secret);
        var body = new { name = "while-admin", scopes = new[] { "keys:read" } };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/keys", body)).StatusCode);

        await using (var db = await app.DbFactory.CreateDbContextAsync())
            await db.Memberships.Where(m => m.UserId == admin.Id).ExecuteUpdateAsync(m => m.SetProperty(x => x.Role, Roles.Member));
        // What the members service does after a role change: cached decisions about the workspace are forgotten.
        await app.Services.AnnounceChangeAsync(app.World.Workspace.Id);
        var response = await client.PostAsJsonAsync("/api/v1/keys", body with { name = "after-demotion" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("The key's owner, a member, may not keys:write.", (await ProblemAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/keys")).StatusCode);
    }

    [Fact]
    public async Task A_key_in_the_query_string_is_not_accepted()
    {
        var response = await app.ApiClient().GetAsync($"/api/v1/keys?access_token={app.OwnerKey.Secret}&key={app.OwnerKey.Secret}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_dashboard_user_without_a_key_gets_401()
    {
        var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        await TestSupport.AccountForms.SignInOrFailAsync(browser, "owner@acme.test");

        var response = await browser.GetAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
