using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Api;

public sealed class RateLimitTests
{
    [Fact]
    public async Task The_request_over_a_keys_limit_gets_429_with_Retry_After_and_other_keys_go_on()
    {
        await using var app = new KeyDashboardFactory { RequestsPerMinutePerKey = 3 };
        var busy = app.ApiClient((await app.CreateKeyAsync()).Secret);
        var quiet = app.ApiClient((await app.CreateKeyAsync()).Secret);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/v1/me")).StatusCode);
        var limited = await busy.GetAsync("/api/v1/me");

        await AssertTooManyRequestsAsync(limited);
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task After_too_many_failed_authentications_an_address_gets_429_even_with_a_valid_key()
    {
        await using var app = new KeyDashboardFactory { FailedAuthenticationsPerMinutePerAddress = 3 };
        var valid = (await app.CreateKeyAsync()).Secret;
        var guesser = app.ApiClient(app.Format.Generate(KeyDashboard.Keys.KeyEnvironment.Test), "203.0.113.50");

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/v1/me")).StatusCode);

        await AssertTooManyRequestsAsync(await guesser.GetAsync("/api/v1/me"));
        await AssertTooManyRequestsAsync(await app.ApiClient(valid, "203.0.113.50").GetAsync("/api/v1/me"));
        await AssertTooManyRequestsAsync(await app.ApiClient(KeyDashboardFactory.ServiceToken, "203.0.113.50")
            .PostAsJsonAsync("/api/v1/verify", new { key = valid }));
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(valid, "203.0.113.51").GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Wrong_service_tokens_count_as_failed_authentications()
    {
        await using var app = new KeyDashboardFactory { FailedAuthenticationsPerMinutePerAddress = 2 };
        var wrong = app.ApiClient("not-the-service-token-0123456789abcdef", "203.0.113.60");

        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsJsonAsync("/api/v1/verify", new { key = "x" })).StatusCode);

        await AssertTooManyRequestsAsync(await wrong.PostAsJsonAsync("/api/v1/verify", new { key = "x" }));
    }

    internal static async Task AssertTooManyRequestsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }
}
