using System.Net;
using System.Net.Http.Json;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyDashboard.Tests.Api;

/// <summary>
/// Two instances of the app over one database, as behind a load balancer: with <c>KeyDashboard:Redis</c> they share the
/// per-key and failed-authentication limits; without it, or while Redis is down, each counts alone. Tests on the shared
/// <see cref="RedisServer"/> keep apart by their own keys and client addresses.
/// </summary>
public sealed class RateLimitsAcrossInstancesTests
{
    private const string Me = "/api/v1/me";

    [RedisFact]
    public async Task A_key_hammering_two_instances_gets_429_once_the_limit_is_used_up_in_total()
    {
        await using var first = new KeyDashboardFactory { RequestsPerMinutePerKey = 4, Settings = RedisServer.Shared.Settings, KeepDataDirectory = true };
        await using var second = new KeyDashboardFactory { RequestsPerMinutePerKey = 4, Settings = RedisServer.Shared.Settings, DataDirectory = first.DataDirectory };
        var secret = (await first.CreateKeyAsync()).Secret;
        HttpClient[] instances = [first.ApiClient(secret), second.ApiClient(secret)];

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => instances[i % 2].GetAsync(Me)));

        Assert.Equal(4, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(16, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (var instance in instances) await RateLimitTests.AssertTooManyRequestsAsync(await instance.GetAsync(Me));
        var other = (await first.CreateKeyAsync()).Secret;
        Assert.Equal(HttpStatusCode.OK, (await second.ApiClient(other).GetAsync(Me)).StatusCode);
    }

    [RedisFact]
    public async Task Failed_authentications_from_one_address_spread_over_two_instances_are_limited_in_total()
    {
        const string guesserAddress = "203.0.113.80";
        await using var first = new KeyDashboardFactory { FailedAuthenticationsPerMinutePerAddress = 4, Settings = RedisServer.Shared.Settings, KeepDataDirectory = true };
        await using var second = new KeyDashboardFactory { FailedAuthenticationsPerMinutePerAddress = 4, Settings = RedisServer.Shared.Settings, DataDirectory = first.DataDirectory };
        var valid = (await first.CreateKeyAsync()).Secret;
        KeyDashboardFactory[] instances = [first, second];

        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await instances[i % 2].ApiClient(first.Format.Generate(KeyEnvironment.Test), guesserAddress).GetAsync(Me)).StatusCode);

        foreach (var instance in instances)
        {
            await RateLimitTests.AssertTooManyRequestsAsync(await instance.ApiClient(first.Format.Generate(KeyEnvironment.Test), guesserAddress).GetAsync(Me));
            await RateLimitTests.AssertTooManyRequestsAsync(await instance.ApiClient(valid, guesserAddress).GetAsync(Me));
            await RateLimitTests.AssertTooManyRequestsAsync(await instance.ApiClient(KeyDashboardFactory.ServiceToken, guesserAddress)
                .PostAsJsonAsync("/api/v1/verify", new { key = valid }));
            Assert.Equal(HttpStatusCode.OK, (await instance.ApiClient(valid, "203.0.113.81").GetAsync(Me)).StatusCode);
        }
    }

    [RedisFact]
    public async Task While_Redis_is_down_a_key_is_not_refused_and_failed_authentications_are_limited_per_instance()
    {
        using var redis = RedisServer.Start();
        var logs = new LogRecorder();
        await using var first = Instance(redis.Settings, logs, keepDataDirectory: true);
        await using var second = Instance(redis.Settings, logs, dataDirectory: first.DataDirectory);
        var secret = (await first.CreateKeyAsync()).Secret;
        HttpClient[] instances = [first.ApiClient(secret), second.ApiClient(secret)];
        Assert.Equal(HttpStatusCode.OK, (await instances[0].GetAsync(Me)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await instances[1].GetAsync(Me)).StatusCode);
        await RateLimitTests.AssertTooManyRequestsAsync(await instances[0].GetAsync(Me));

        redis.Kill();

        for (var i = 0; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await instances[i % 2].GetAsync(Me)).StatusCode);
        await AssertFailedAuthenticationsLimitedPerInstanceAsync([first, second], "203.0.113.90");
        // One warning per instance and limit, not one per request.
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("Redis could not be reached") && l.Contains("not limited per key")));
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("Redis could not be reached") && l.Contains("limited per instance")));
    }

    [RedisFact]
    public async Task When_Redis_comes_back_the_instances_reconnect_and_limit_keys_again()
    {
        using var redis = RedisServer.Start();
        await using var first = Instance(redis.Settings, new LogRecorder(), keepDataDirectory: true);
        await using var second = Instance(redis.Settings, new LogRecorder(), dataDirectory: first.DataDirectory);
        var secret = (await first.CreateKeyAsync()).Secret;
        HttpClient[] instances = [first.ApiClient(secret), second.ApiClient(secret)];
        Assert.Equal(HttpStatusCode.OK, (await instances[0].GetAsync(Me)).StatusCode);
        redis.Kill();
        Assert.Equal(HttpStatusCode.OK, (await instances[1].GetAsync(Me)).StatusCode);

        using var restarted = RedisServer.Start(redis.Port);

        // Each instance lets the key through until it has reconnected, then counts in the restarted (empty) Redis.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answers = (await Task.WhenAll(instances.Select(instance => instance.GetAsync(Me)))).Select(a => a.StatusCode).ToList();
            Assert.All(answers, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
            if (answers.All(status => status == HttpStatusCode.TooManyRequests)) break;
            Assert.True(DateTime.UtcNow < deadline, "The instances did not limit the key again within 30 s of Redis coming back.");
            await Task.Delay(100);
        }
    }

    [RedisFact]
    public async Task A_Redis_that_stops_answering_times_out_and_no_request_is_refused_for_it()
    {
        using var redis = RedisServer.Start();
        var settings = new Dictionary<string, string> { ["KeyDashboard:Redis"] = $"127.0.0.1:{redis.Port},asyncTimeout=500" };
        await using var app = Instance(settings, new LogRecorder());
        var key = app.ApiClient((await app.CreateKeyAsync()).Secret);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await key.GetAsync(Me)).StatusCode);
        await RateLimitTests.AssertTooManyRequestsAsync(await key.GetAsync(Me));

        redis.Freeze();

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await key.GetAsync(Me)).StatusCode);
        await AssertFailedAuthenticationsLimitedPerInstanceAsync([app], "203.0.113.93");
    }

    [Fact]
    public async Task An_instance_started_while_Redis_is_unreachable_serves_every_key_request_and_limits_failed_authentications_itself()
    {
        // The start waits for Redis as long as the connect timeout: short here.
        var unreachable = new Dictionary<string, string> { ["KeyDashboard:Redis"] = $"127.0.0.1:{SmtpSink.FreePort()},connectTimeout=500" };
        await using var app = Instance(unreachable, new LogRecorder());
        var key = app.ApiClient((await app.CreateKeyAsync()).Secret);

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await key.GetAsync(Me)).StatusCode);
        await AssertFailedAuthenticationsLimitedPerInstanceAsync([app], "203.0.113.91");
    }

    [Fact]
    public async Task Without_Redis_each_instance_applies_its_own_limits()
    {
        await using var first = new KeyDashboardFactory { RequestsPerMinutePerKey = 2, FailedAuthenticationsPerMinutePerAddress = 2, KeepDataDirectory = true };
        await using var second = new KeyDashboardFactory { RequestsPerMinutePerKey = 2, FailedAuthenticationsPerMinutePerAddress = 2, DataDirectory = first.DataDirectory };
        var secret = (await first.CreateKeyAsync()).Secret;

        foreach (var instance in new[] { first.ApiClient(secret), second.ApiClient(secret) })
        {
            for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await instance.GetAsync(Me)).StatusCode);
            await RateLimitTests.AssertTooManyRequestsAsync(await instance.GetAsync(Me));
        }
        await AssertFailedAuthenticationsLimitedPerInstanceAsync([first, second], "203.0.113.92");
    }

    /// <summary>Limits of 2 requests per key and 2 failed authentications per address, with Redis at <paramref name="redis"/>.</summary>
    private static KeyDashboardFactory Instance(Dictionary<string, string> redis, LogRecorder logs, bool keepDataDirectory = false, string? dataDirectory = null) =>
        new()
        {
            RequestsPerMinutePerKey = 2,
            FailedAuthenticationsPerMinutePerAddress = 2,
            Settings = redis,
            ConfigureServices = services => services.AddLogging(logging => logging.AddProvider(logs)),
            KeepDataDirectory = keepDataDirectory,
            DataDirectory = dataDirectory ?? WorldDatabaseCopies.NewDataDirectory(),
        };

    /// <summary>Each instance lets the address fail twice, its limit, and then answers 429, whatever the others counted.</summary>
    private static async Task AssertFailedAuthenticationsLimitedPerInstanceAsync(KeyDashboardFactory[] instances, string address)
    {
        foreach (var instance in instances)
        {
            var guesser = instance.ApiClient(instance.Format.Generate(KeyEnvironment.Test), address);
            for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync(Me)).StatusCode);
            await RateLimitTests.AssertTooManyRequestsAsync(await guesser.GetAsync(Me));
        }
    }
}
