using System.Diagnostics;
using System.Net;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests;

public sealed class HealthTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task Health_answers_200_Healthy_without_authentication()
    {
        var response = await app.CreateBrowser().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Liveness_answers_200_Healthy_without_authentication()
    {
        var response = await app.CreateClient().GetAsync(DatabaseHealthChecks.LivePath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_database_another_writer_holds_is_Unhealthy_503_while_liveness_stays_200_and_health_recovers()
    {
        await using var busy = new KeyDashboardFactory { BusyTimeoutSeconds = 1 };
        var client = busy.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await using (await DatabaseWriteLock.TakeAsync(busy.DataDirectory))
        {
            var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(DatabaseHealthChecks.LivePath)).StatusCode);
        }

        // At once on SQLite; on PostgreSQL once the change listener's next heartbeat gets through, well within a lease.
        var recovered = Stopwatch.StartNew();
        while ((await client.GetAsync("/health")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(recovered.Elapsed < TimeSpan.FromSeconds(2), "/health did not recover within 2 s of the lock's release.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task The_health_check_writes_nothing()
    {
        var before = await DatabaseSnapshot.TakeAsync(app);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health")).StatusCode);

        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
    }
}
