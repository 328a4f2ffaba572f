using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace KeyDashboard.Tests.Telemetry;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Key_verifications_are_counted_by_outcome_and_cache_lookups_by_hit_or_miss()
    {
        await using var app = new KeyDashboardFactory();
        using var metrics = new MetricsRecorder(app.Services);
        var key = await app.CreateKeyAsync();
        var revoked = await app.CreateKeyAsync(WorldKeys.KeyRequest("revoked"));
        await app.AsOwnerAsync((keys, owner, workspace) => keys.RevokeAsync(owner, workspace, revoked.Key.Id, null));

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(key.Secret).GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(revoked.Secret).GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient("kd_test_nonsense").GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(3, metrics.Sum("keydashboard.key.verifications", "outcome=accepted"));
        Assert.Equal(1, metrics.Sum("keydashboard.key.verifications", "outcome=revoked"));
        Assert.Equal(1, metrics.Sum("keydashboard.key.verifications", "outcome=malformed"));
        Assert.Equal(2, metrics.Sum("keydashboard.key_cache.lookups", "result=hit"));
        Assert.Equal(2, metrics.Sum("keydashboard.key_cache.lookups", "result=miss"));
    }

    [Fact]
    public async Task A_usage_flush_records_how_many_requests_it_wrote_and_how_long_they_waited()
    {
        await using var app = new KeyDashboardFactory();
        using var metrics = new MetricsRecorder(app.Services);
        var key = await app.CreateKeyAsync();
        for (var i = 0; i < 4; i++) await app.ApiClient(key.Secret).GetAsync("/api/v1/me");

        await app.Services.GetRequiredService<KeyUsageRecorder>().FlushAsync();

        Assert.Equal(4, metrics.Sum("keydashboard.usage.flush.size"));
        Assert.All(metrics.Values("keydashboard.usage.flush.lag"), lag => Assert.InRange(lag, 0, 30));
        Assert.NotEmpty(metrics.Values("keydashboard.usage.flush.lag"));
    }

    [Fact]
    public async Task Requests_are_traced_and_on_PostgreSQL_so_are_their_database_commands()
    {
        var exported = new ExportedSpans();
        await using var app = new KeyDashboardFactory
        {
            ConfigureServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)),
        };
        var key = await app.CreateKeyAsync();

        // Listeners are process-wide, so the apps of parallel tests are traced here too: this request carries a trace id of its own.
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(key.Secret).SendAsync(request)).StatusCode);
        var spans = await SpansOfAsync(exported, traceId, app.Services.GetRequiredService<TracerProvider>());

        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName == "GET /api/v1/me");
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        if (TestProvider.IsPostgreSql)
            Assert.Contains(spans, s => s.Source.Name == "Npgsql" && s.Kind == ActivityKind.Client);
    }

#if POSTGRESQL
    [Fact]
    public async Task On_PostgreSQL_a_revoke_records_its_invalidation_lag_and_the_instances_alive_are_counted()
    {
        await using var app = new KeyDashboardFactory();
        using var metrics = new MetricsRecorder(app.Services);
        var key = await app.CreateKeyAsync();

        await app.AsOwnerAsync((keys, owner, workspace) => keys.RevokeAsync(owner, workspace, key.Key.Id, null));
        metrics.Observe();

        Assert.InRange(Assert.Single(metrics.Values("keydashboard.invalidation.lag")), 0, 5);
        Assert.Equal(1, metrics.Values("keydashboard.instances.alive").Last());
    }
#endif

    /// <summary>
    /// The test server hands the client its response before the hosting layer stops the request's span,
    /// so the span is waited for rather than read at once.
    /// </summary>
    private static async Task<List<Activity>> SpansOfAsync(ExportedSpans exported, ActivityTraceId traceId, TracerProvider tracing)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            tracing.ForceFlush();
            var spans = exported.Snapshot().Where(s => s.TraceId == traceId).ToList();
            if (spans.Any(s => s.Kind == ActivityKind.Server) || DateTime.UtcNow > deadline) return spans;
            await Task.Delay(20);
        }
    }

    /// <summary>The exporter's list, safe to read while background work (heartbeats, usage batches) still adds spans to it.</summary>
    private sealed class ExportedSpans : Collection<Activity>
    {
        private readonly Lock _lock = new();

        public List<Activity> Snapshot()
        {
            lock (_lock) return [.. this];
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_lock) base.InsertItem(index, item);
        }
    }
}
