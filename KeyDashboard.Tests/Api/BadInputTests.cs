using System.Net;
using System.Text;
using System.Text.Json;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Api;

/// <summary>Input the API does not expect gets a 4xx with problem details, never a 5xx, and changes nothing.</summary>
public sealed class BadInputTests(AppWithKeysInEveryState app) : IClassFixture<AppWithKeysInEveryState>
{
    public static TheoryData<string, string, string?> BadRequests => new()
    {
        // Bodies of the wrong shape or type.
        { "POST", "/api/v1/keys", """{"name": 5, "scopes": ["keys:read"]}""" },
        { "POST", "/api/v1/keys", """{"name": "ok", "scopes": "keys:read"}""" },
        { "POST", "/api/v1/keys", """{"name": "ok", "scopes": [1, 2]}""" },
        { "POST", "/api/v1/keys", """{"name": "ok", "scopes": ["keys:read"], "neverExpires": "yes"}""" },
        { "POST", "/api/v1/keys", """{"name": "ok", "scopes": ["keys:read"], "expiresAt": "tomorrow"}""" },
        { "POST", "/api/v1/keys", """{"name": "ok", "scopes": ["keys:read"], "environment": "production"}""" },
        { "POST", "/api/v1/keys", """{"name": "ok", "scopes": ["keys:admin"]}""" },
        { "POST", "/api/v1/keys", """{"name": {"nested": true}, "scopes": ["keys:read"]}""" },
        { "POST", "/api/v1/keys", """["not", "an", "object"]""" },
        { "POST", "/api/v1/keys", """{"name": "unterminated""" },
        { "POST", "/api/v1/keys", "" },
        { "POST", "/api/v1/keys", "null" },
        { "POST", "/api/v1/keys", """{"name": "ab\u0000cd", "scopes": ["keys:read"]}""" },
        { "POST", "/api/v1/keys", """{"name": "\ud800", "scopes": ["keys:read"]}""" },
        { "POST", "/api/v1/keys", "{\"name\": \"" + new string('x', 100_000) + "\", \"scopes\": [\"keys:read\"]}" },
        { "PATCH", "/api/v1/keys/{id}", """{"name": true}""" },
        { "PATCH", "/api/v1/keys/{id}", """{"description": ["a"]}""" },
        { "PATCH", "/api/v1/keys/{id}", """{"name": "line\nbreak"}""" },
        { "PATCH", "/api/v1/keys/{id}", "{\"description\": \"" + new string('d', 501) + "\"}" },
        { "POST", "/api/v1/keys/{id}/rotate", """{"grace": "forever"}""" },
        { "POST", "/api/v1/keys/{id}/rotate", """{"grace": 3600}""" },
        // Query values of the wrong type or out of range.
        { "GET", "/api/v1/keys?page=abc", null },
        { "GET", "/api/v1/keys?page=-1", null },
        { "GET", "/api/v1/keys?pageSize=100000", null },
        { "GET", "/api/v1/keys?pageSize=99999999999999999999", null },
        // page * pageSize past int.MaxValue wrapped around to a negative offset, and so to the first page.
        { "GET", "/api/v1/keys?page=21474837&pageSize=100", null },
        { "GET", "/api/v1/keys?status=sleeping", null },
        { "GET", "/api/v1/keys?sort=secret", null },
        { "GET", "/api/v1/keys?sort=1", null },
        { "GET", "/api/v1/keys?order=sideways", null },
        { "GET", "/api/v1/keys?environment=prod", null },
        { "GET", "/api/v1/keys?includeRevoked=maybe", null },
        { "GET", "/api/v1/keys?search=" + new string('s', 5_000), null },
        { "GET", "/api/v1/keys/{id}/usage?days=0", null },
        { "GET", "/api/v1/keys/{id}/usage?days=100000", null },
        { "GET", "/api/v1/keys/{id}/usage?days=ten", null },
        { "GET", "/api/v1/audit?from=yesterday", null },
        { "GET", "/api/v1/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", null },
        { "GET", "/api/v1/audit?page=-3", null },
        { "GET", "/api/v1/audit?pageSize=0", null },
        { "GET", "/api/v1/audit?page=21474837&pageSize=100", null },
        { "GET", "/api/v1/audit?action=" + new string('a', 1_000), null },
        { "DELETE", "/api/v1/keys/{id}?reason=" + new string('r', 501), null },
        { "DELETE", "/api/v1/keys/{id}?reason=bell%07", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_a_4xx_problem_and_changes_nothing(string method, string path, string? json)
    {
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("bad-input-target"));
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", target.Key.Id));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        var response = await app.ApiClient(app.OwnerKey.Secret).SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path[..Math.Min(path.Length, 80)]}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)response.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
    }

    [Fact]
    public async Task A_huge_or_garbled_Authorization_header_gets_the_401_problem()
    {
        var cases = new[]
        {
            "Bearer " + new string('k', 64 * 1024),
            "Bearer " + app.OwnerKey.Secret + new string(' ', 10) + "x",
            "Bearer  " + "kd_test_\u00e9\u00e9\u00e9",
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pass")),
            "Bearer",
            "bearer" + app.OwnerKey.Secret,
            app.OwnerKey.Secret,
        };
        foreach (var header in cases)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            var response = await app.ApiClient().SendAsync(request);
            Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, $"{header[..Math.Min(header.Length, 40)]}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Huge_and_unicode_headers_beside_a_valid_key_do_not_break_the_call()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {app.OwnerKey.Secret}");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('p', 64 * 1024));
        request.Headers.TryAddWithoutValidation("User-Agent", "naïve-client/1.0 (☃)");

        var response = await app.ApiClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/keys/%01%7F")]
    [InlineData("/api/v1/keys/..%2F..%2Fhealth")]
    [InlineData("/api/v1/keys/%E2%98%83")]
    [InlineData("/api/v1/keys/key_' OR 1=1 --")]
    public async Task Strange_key_ids_are_not_found(string path)
    {
        var response = await app.ApiClient(app.OwnerKey.Secret).GetAsync(path);

        Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_long_key_id_is_not_found()
    {
        var response = await app.ApiClient(app.OwnerKey.Secret).GetAsync("/api/v1/keys/" + new string('k', 10_000));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
