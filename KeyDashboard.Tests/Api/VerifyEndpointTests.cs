using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;

namespace KeyDashboard.Tests.Api;

/// <summary><c>POST /api/v1/verify</c>: who may call it, and what it does with bad bodies.</summary>
public sealed class VerifyEndpointTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task Verify_answers_with_the_keys_workspace_owner_role_scopes_and_expiry()
    {
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest(scopes: ["keys:read", "usage:read"]));

        var answer = await (await app.ServiceClient().PostAsJsonAsync("/api/v1/verify", new { key = issued.Secret, scope = "usage:read" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(answer.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("reason").ValueKind);
        Assert.Equal(issued.Key.Id, answer.GetProperty("keyId").GetString());
        Assert.Equal(app.World.Workspace.Id, answer.GetProperty("workspaceId").GetGuid());
        Assert.Equal(app.World.Owner.Email, answer.GetProperty("owner").GetProperty("name").GetString());
        Assert.Equal("owner", answer.GetProperty("role").GetString());
        Assert.Equal(["keys:read", "usage:read"], answer.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(issued.Key.ExpiresAt, answer.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("keys:read", true, null)]
    [InlineData("keys:write", false, "role_not_allowed")]
    [InlineData("keys:delete", false, "role_not_allowed")]
    public async Task A_members_key_verifies_only_for_what_the_members_role_allows(string scope, bool valid, string? reason)
    {
        var member = app.World.Member;
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest(scopes: ["keys:read", "keys:write", "keys:delete"], owner: member));

        var answer = await (await app.ServiceClient().PostAsJsonAsync("/api/v1/verify", new { key = issued.Secret, scope }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(valid, answer.GetProperty("valid").GetBoolean());
        Assert.Equal(reason, answer.GetProperty("reason").GetString());
        Assert.Equal("member", answer.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_workspace_key_is_not_a_service_token()
    {
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest(scopes: ["keys:read"]));

        var response = await app.ApiClient(issued.Secret).PostAsJsonAsync("/api/v1/verify", new { key = issued.Secret });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("test-service-token-0123456789-abcdefghiJ")]
    [InlineData("test-service-token-0123456789-abcdefghij-and-more")]
    public async Task Verify_without_the_service_token_is_401(string? token)
    {
        var response = await app.ApiClient(token).PostAsJsonAsync("/api/v1/verify", new { key = "kd_test_x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_no_service_token_configured_verify_says_so()
    {
        await using var unconfigured = new KeyDashboardFactory { WithServiceToken = false };

        var response = await unconfigured.ApiClient("").PostAsJsonAsync("/api/v1/verify", new { key = "kd_test_x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("KeyDashboard:Api:ServiceTokens", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_short_service_token_stops_the_app_from_starting()
    {
        await using var unconfigured = new KeyDashboardFactory { WithServiceToken = false };
        await using var weak = unconfigured.WithWebHostBuilder(builder => builder.UseSetting("KeyDashboard:Api:ServiceTokens:0", "too-short"));

        var error = Assert.ThrowsAny<Exception>(() => weak.Services);

        Assert.Contains("at least 32 characters", error.ToString());
    }

    [Theory]
    [InlineData("""{"key": 5}""")]
    [InlineData("""{"key": ["a"]}""")]
    [InlineData("""{"key": "kd_test_x", "scope": {}}""")]
    [InlineData("""{"scope": "keys:read"}""")]
    [InlineData("""{"key": ""}""")]
    [InlineData("""{"key": "kd_test_x" """)]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("not json at all")]
    public async Task A_bad_body_gets_400_problem_details(string body)
    {
        var response = await app.ServiceClient().PostAsync("/api/v1/verify", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415_and_a_too_large_one_400()
    {
        var form = await app.ServiceClient().PostAsync("/api/v1/verify", new StringContent("key=kd_test_x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var huge = await app.ServiceClient().PostAsJsonAsync("/api/v1/verify", new { key = new string('a', 100_000) });

        // Routing refuses the form body (the endpoint accepts JSON only) before the endpoint runs.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal("application/problem+json", form.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
    }
}
