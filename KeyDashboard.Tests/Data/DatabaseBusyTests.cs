using System.Net;
using System.Text;
using System.Text.Json;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.Api;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Data;

/// <summary>
/// Another writer holds the SQLite database past the busy timeout. An API write is an honest 503 with
/// <c>Retry-After</c> and a problem-details body, not a 500 with a stack trace, and it wrote nothing: no key without
/// its audit entry, no half rotation. Once the lock is gone the same write goes through.
/// </summary>
public sealed class DatabaseBusyTests(DatabaseBusyTests.BusyApp app) : IClassFixture<DatabaseBusyTests.BusyApp>
{
    public static TheoryData<string, string, string?> Writes => new()
    {
        { "POST", "/api/v1/keys", """{"name": "busy-create", "scopes": ["keys:read"]}""" },
        { "PATCH", "/api/v1/keys/{id}", """{"name": "busy-rename"}""" },
        { "POST", "/api/v1/keys/{id}/rotate", """{"grace": "1h"}""" },
        { "DELETE", "/api/v1/keys/{id}?reason=busy", null },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task An_api_write_while_another_writer_holds_the_database_is_a_503_problem_with_Retry_After_that_writes_nothing(
        string method, string path, string? json)
    {
        var target = await app.CreateKeyAsync(WorldKeys.KeyRequest("busy-target"));
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", target.Key.Id));
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            return request;
        }
        var client = app.ApiClient(app.Key.Secret);
        var before = await DatabaseSnapshot.TakeBesideRequestsAsync(app);

        HttpResponseMessage response;
        await using (await DatabaseWriteLock.TakeAsync(app.DataDirectory))
            response = await client.SendAsync(Request());

        await AssertBusyProblemAsync(response);
        Assert.Equal(before, await DatabaseSnapshot.TakeBesideRequestsAsync(app));
        Assert.True((await client.SendAsync(Request())).IsSuccessStatusCode);
    }

    [Fact]
    public async Task In_Development_too_a_busy_database_is_a_503_problem_not_the_error_page()
    {
        await using var development = new BusyApp { Environment = "Development" };
        await development.InitializeAsync();
        var client = development.ApiClient(development.Key.Secret);

        HttpResponseMessage response;
        await using (await DatabaseWriteLock.TakeAsync(development.DataDirectory))
            response = await client.PostAsync("/api/v1/keys", new StringContent("""{"name": "busy-dev", "scopes": ["keys:read"]}""", Encoding.UTF8, "application/json"));

        var body = await AssertBusyProblemAsync(response);
        Assert.DoesNotContain("SqliteException", body);
    }

    private static async Task<string> AssertBusyProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
        Assert.Equal(TimeSpan.FromSeconds(DatabaseUnavailable.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal(DatabaseUnavailable.Message, problem.GetProperty("detail").GetString());
        return body;
    }

    /// <summary>The app with a one-second busy timeout, so each locked write fails fast.</summary>
    public sealed class BusyApp : KeyDashboardFactory, IAsyncLifetime
    {
        public IssuedKey Key { get; private set; } = null!;

        public BusyApp() => BusyTimeoutSeconds = 1;

        public async Task InitializeAsync() => Key = await this.CreateKeyAsync(WorldKeys.KeyRequest("busy-caller", AppWithKeysInEveryState.AllScopes));

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }
}
