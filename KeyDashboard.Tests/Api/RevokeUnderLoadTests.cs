using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Api;

public sealed class RevokeUnderLoadTests
{
    [Fact]
    public async Task Every_request_that_starts_after_the_revoke_commits_gets_401()
    {
        await using var app = new KeyDashboardFactory();
        var issued = await app.CreateKeyAsync();
        var client = app.ApiClient(issued.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode); // the key is now cached

        var results = new ConcurrentBag<(long StartedAt, HttpStatusCode Status)>();
        long revokedAt = long.MaxValue;
        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var startedAt = Stopwatch.GetTimestamp();
                var response = await client.GetAsync("/api/v1/me");
                results.Add((startedAt, response.StatusCode));
            }
        })).ToList();

        await Task.Delay(300);
        await app.AsOwnerAsync((keys, actor, workspace) => keys.RevokeAsync(actor, workspace, issued.Key.Id, "compromised"));
        Interlocked.Exchange(ref revokedAt, Stopwatch.GetTimestamp());
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        var after = results.Where(r => r.StartedAt > revokedAt).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, r => Assert.Equal(HttpStatusCode.Unauthorized, r.Status));
        Assert.Contains(results, r => r.StartedAt < revokedAt && r.Status == HttpStatusCode.OK);
    }
}
