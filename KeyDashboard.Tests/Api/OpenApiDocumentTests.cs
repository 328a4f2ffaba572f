using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KeyDashboard.Tests.TestSupport;
using static KeyDashboard.Tests.Api.ApiAccessMatrixTests;

namespace KeyDashboard.Tests.Api;

public sealed class OpenApiDocumentTests(AppWithKeysInEveryState app) : IClassFixture<AppWithKeysInEveryState>
{
    [Fact]
    public async Task The_document_lists_every_endpoint_with_the_bearer_scheme_and_its_error_answers()
    {
        var response = await app.ApiClient().GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        var paths = document.GetProperty("paths");
        foreach (var endpoint in Endpoints)
        {
            Assert.True(paths.TryGetProperty(endpoint.Path, out var path), $"{endpoint.Path} is missing.");
            Assert.True(path.TryGetProperty(endpoint.Method.ToLowerInvariant(), out var operation), $"{endpoint} is missing.");
            Assert.Contains(operation.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("Bearer", out _));
            Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()), $"{endpoint} has no summary.");
            Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
            Assert.Contains($"`{endpoint.Scope}`", operation.GetProperty("description").GetString());
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty(((int)endpoint.Success).ToString(), out _), $"{endpoint} does not document {(int)endpoint.Success}.");
            foreach (var status in new[] { "401", "403", "429" })
            {
                Assert.True(responses.TryGetProperty(status, out var error), $"{endpoint} does not document {status}.");
                Assert.True(error.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{endpoint} {status} is not problem details.");
            }
            if (endpoint.TargetsKey) Assert.True(responses.TryGetProperty("404", out _), $"{endpoint} does not document 404.");
        }
    }

    [Theory]
    [InlineData("/api/v1/keys/{id}", "get", "200", false)]
    [InlineData("/api/v1/keys", "post", "201", false)]
    [InlineData("/api/v1/keys/{id}", "patch", "200", true)]
    [InlineData("/api/v1/keys/{id}/rotate", "post", "200", true)]
    public async Task Single_key_answers_list_their_ETag_and_changes_their_If_Match(string path, string method, string success, bool takesIfMatch)
    {
        var document = JsonDocument.Parse(await app.ApiClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.True(operation.GetProperty("responses").GetProperty(success).GetProperty("headers").TryGetProperty("ETag", out _));
        var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
        Assert.Equal(takesIfMatch, parameters.Any(p => p.GetProperty("name").GetString() == "If-Match" && p.GetProperty("in").GetString() == "header"));
    }

    [Theory]
    [InlineData("/api/v1/me", "get", "Bearer", "MeResponse")]
    [InlineData("/api/v1/verify", "post", "ServiceToken", "VerifyResponse")]
    public async Task Me_and_verify_are_listed_with_their_credentials_and_answer(string path, string method, string scheme, string answer)
    {
        var document = JsonDocument.Parse(await app.ApiClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.Contains(operation.GetProperty("security").EnumerateArray(), r => r.TryGetProperty(scheme, out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty(scheme, out _));
        Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _));
        var schema = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal($"#/components/schemas/{answer}", schema.GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Leak_reports_are_listed_without_credentials_with_their_202_and_refusals()
    {
        var document = JsonDocument.Parse(await app.ApiClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty("/api/v1/leaks").GetProperty("post");
        Assert.False(operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, "Leak reports take no credentials.");
        var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("array", body.GetProperty("type").GetString());
        Assert.Equal("string", body.GetProperty("items").GetProperty("type").GetString());
        var responses = operation.GetProperty("responses");
        var accepted = responses.GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("#/components/schemas/LeakReportAnswer", accepted.GetProperty("$ref").GetString());
        foreach (var status in new[] { "400", "413", "415", "429" })
        {
            Assert.True(responses.TryGetProperty(status, out var error), $"Leak reports do not document {status}.");
            Assert.True(error.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{status} is not problem details.");
        }
        Assert.False(responses.TryGetProperty("401", out _), "Leak reports never answer 401.");
    }

    [Fact]
    public async Task The_document_leaves_out_the_dashboards_own_endpoints()
    {
        var document = JsonDocument.Parse(await app.ApiClient().GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.All(document.GetProperty("paths").EnumerateObject(), p => Assert.StartsWith("/api/", p.Name));
    }

    [Fact]
    public async Task The_api_reference_runs_its_scripts_by_a_nonce_fresh_for_each_request()
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = true });

        var first = await client.GetAsync("/api/reference");
        var second = await client.GetAsync("/api/reference");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var html = await first.Content.ReadAsStringAsync();
        Assert.Contains("<title>KeyDashboard API reference</title>", html);
        var nonce = ScriptNonce(first);
        Assert.Contains($"nonce=\"{nonce}\"", html);
        Assert.DoesNotMatch("<script(?![^>]*nonce=)", html);
        Assert.NotEqual(nonce, ScriptNonce(second));
        Assert.DoesNotContain("unsafe-inline", ScriptSources(first));
    }

    private static string ScriptSources(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single().Split(';').Single(d => d.Trim().StartsWith("script-src"));

    private static string ScriptNonce(HttpResponseMessage response) =>
        Regex.Match(ScriptSources(response), "'nonce-([^']+)'").Groups[1].Value is { Length: > 20 } nonce
            ? nonce : throw new Xunit.Sdk.XunitException($"No nonce in {ScriptSources(response)}");
}
