using System.Net;
using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// In Production the dashboard answers errors with its HTML pages; an API client gets problem-details JSON for
/// every error instead: an unknown path, a wrong method (with <c>Allow</c>), and a failure inside an endpoint.
/// </summary>
public sealed class ApiErrorsInProductionTests(ApiErrorsInProductionTests.ProductionApp app) : IClassFixture<ApiErrorsInProductionTests.ProductionApp>
{
    [Theory]
    [InlineData("GET", "/api/v1/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/keys/abc/nothing", HttpStatusCode.NotFound)]
    [InlineData("PUT", "/api/v1/me", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/api/v1/keys", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/api/v1/keys?page=x", HttpStatusCode.BadRequest)]
    public async Task An_api_error_is_problem_json_not_the_dashboards_page(string method, string path, HttpStatusCode expected)
    {
        foreach (var accept in new[] { "application/json", "*/*", "text/html,application/xhtml+xml,*/*;q=0.8" })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Accept.ParseAdd(accept);

            var response = await app.ApiClient(app.Key.Secret).SendAsync(request);

            await AssertProblemAsync(response, expected, $"{method} {path} Accept {accept}");
        }
    }

    [Theory]
    [InlineData("PUT", "/api/v1/me", "GET")]
    [InlineData("DELETE", "/api/v1/keys", "GET,POST")]
    [InlineData("PUT", "/api/v1/keys/abc", "DELETE,GET,PATCH")]
    public async Task A_wrong_method_names_the_allowed_ones(string method, string path, string allowed)
    {
        var response = await app.ApiClient(app.Key.Secret).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var allow = response.Content.Headers.Allow;
        Assert.All(allowed.Split(','), m => Assert.Contains(m, allow));
        Assert.DoesNotContain(method, allow);
    }

    [Fact]
    public async Task A_failure_inside_an_endpoint_is_a_500_problem_without_details()
    {
        var client = app.ApiClient(app.Key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/keys")).StatusCode);
        app.Commands.FailNextQueries(1);

        var response = await client.GetAsync("/api/v1/keys");

        var body = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "a failing query");
        Assert.DoesNotContain("Injected failure", body);
        Assert.DoesNotContain("SqliteException", body);
    }

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string because)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{because}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{because}: {response.Content.Headers.ContentType} {body[..Math.Min(300, body.Length)]}");
        Assert.Equal((int)expected, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        return body;
    }

    public sealed class ProductionApp : KeyDashboardFactory, IAsyncLifetime
    {
        public CommandCounter Commands { get; } = new();
        public IssuedKey Key { get; private set; } = null!;

        public ProductionApp()
        {
            Environment = "Production";
            ConfigureServices = services => services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(Commands));
        }

        public async Task InitializeAsync() => Key = await this.CreateKeyAsync(WorldKeys.KeyRequest("production-errors", AppWithKeysInEveryState.AllScopes));

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }
}
