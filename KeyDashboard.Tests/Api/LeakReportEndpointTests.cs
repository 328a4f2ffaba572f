using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Api;

/// <summary><c>POST /api/v1/leaks</c>: anyone reports strings found in public; the active keys among them stop working at once.</summary>
public sealed class LeakReportEndpointTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private const string Reporter = "203.0.113.9";

    [Fact]
    public async Task A_reported_key_is_revoked_and_stops_authenticating_at_once_even_from_the_cache()
    {
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest("leaky-live") with { Environment = KeyEnvironment.Live });
        var integration = app.ApiClient(issued.Secret);
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync("/api/v1/me")).StatusCode); // now in the verified-key cache

        var report = await Report([$"  {issued.Secret}\n"]);

        Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync("/api/v1/me")).StatusCode);
        var row = await app.KeyRowAsync(issued.Key.Id);
        Assert.NotNull(row.RevokedAt);
        Assert.Equal(LeakReports.Reason, row.RevokedReason);
        Assert.Null(row.RevokedByUserId);
    }

    [Fact]
    public async Task The_revocation_is_audited_in_the_keys_workspace_as_a_leak_report_from_the_reporters_address()
    {
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest("audited-leak"));

        await Report([issued.Secret], Reporter);

        var entry = Assert.Single(await app.AuditEntriesAsync(AuditActions.KeyReportedLeaked), e => e.TargetId == issued.Key.Id);
        Assert.Equal(app.World.Workspace.Id, entry.WorkspaceId);
        Assert.Equal(AuditActorType.System, entry.ActorType);
        Assert.Equal(LeakReports.ActorName, entry.ActorName);
        Assert.Null(entry.ActorId);
        Assert.Equal(Reporter, entry.ClientAddress);
        Assert.Equal("audited-leak", entry.TargetName);
        Assert.Contains(LeakReports.Reason, entry.Details);
        Assert.DoesNotContain(issued.Secret, entry.Details);
        Assert.Equal("Key reported as leaked and revoked", AuditActionLabels.Label(entry.Action));
    }

    [Fact]
    public async Task Keys_of_two_workspaces_in_one_report_are_each_revoked_and_audited_in_their_own_workspace()
    {
        var acme = await app.CreateKeyAsync(WorldKeys.KeyRequest("acme-leak"));
        var other = await app.CreateKeyAsync(WorldKeys.KeyRequest("other-leak"), by: app.World.OtherAdmin, workspace: app.World.OtherWorkspace);

        await Report([acme.Secret, "not a key", other.Secret], Reporter);

        Assert.NotNull((await app.KeyRowAsync(acme.Key.Id)).RevokedAt);
        Assert.NotNull((await app.KeyRowAsync(other.Key.Id)).RevokedAt);
        var entries = await app.AuditEntriesAsync(AuditActions.KeyReportedLeaked);
        Assert.Equal(app.World.Workspace.Id, Assert.Single(entries, e => e.TargetId == acme.Key.Id).WorkspaceId);
        Assert.Equal(app.World.OtherWorkspace.Id, Assert.Single(entries, e => e.TargetId == other.Key.Id).WorkspaceId);
    }

    [Fact]
    public async Task Every_readable_report_gets_the_same_202_and_the_same_bytes_whatever_it_matched()
    {
        var active = await app.CreateKeyAsync(WorldKeys.KeyRequest("same-answer"));
        var revoked = await app.CreateKeyAsync(WorldKeys.KeyRequest("already-revoked"));
        await app.AsOwnerAsync((keys, actor, workspace) => keys.RevokeAsync(actor, workspace, revoked.Key.Id, "done"));
        string?[][] reports =
        [
            [app.Format.Generate(KeyEnvironment.Test), app.Format.Generate(KeyEnvironment.Live)], // unknown keys
            [active.Secret],
            [revoked.Secret],
            ["kd_live_nope", KeySecrets.WithWrongChecksum(app.Format.Generate(KeyEnvironment.Live)), "", null, new string('x', 10_000)],
            [],
        ];

        var answers = new List<(HttpStatusCode Status, string? ContentType, byte[] Body)>();
        foreach (var report in reports)
        {
            var response = await Report(report);
            answers.Add((response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsByteArrayAsync()));
        }

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Accepted, answer.Status));
        Assert.All(answers, answer => Assert.Equal(answers[0].ContentType, answer.ContentType));
        Assert.All(answers, answer => Assert.Equal(answers[0].Body, answer.Body));
        Assert.Equal("accepted", JsonDocument.Parse(answers[0].Body).RootElement.GetProperty("status").GetString());
        Assert.NotNull((await app.KeyRowAsync(active.Key.Id)).RevokedAt);
        Assert.Equal("done", (await app.KeyRowAsync(revoked.Key.Id)).RevokedReason); // a revoked key stays as it was
    }

    [Fact]
    public async Task Only_a_secret_that_still_works_revokes_its_key()
    {
        var expired = await app.CreateKeyAsync(WorldKeys.KeyRequest("expired-leak"));
        await app.UpdateKeyRowAsync(expired.Key.Id, k => k.ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1));
        var inGrace = await app.CreateKeyAsync(WorldKeys.KeyRequest("rotated-in-grace"));
        await app.AsOwnerAsync((keys, actor, workspace) => keys.RotateAsync(actor, workspace, inGrace.Key.Id, RotationGrace.OneHour));
        var graceOver = await app.CreateKeyAsync(WorldKeys.KeyRequest("rotated-grace-over"));
        await app.AsOwnerAsync((keys, actor, workspace) => keys.RotateAsync(actor, workspace, graceOver.Key.Id, RotationGrace.OneHour));
        await app.UpdateKeyRowAsync(graceOver.Key.Id, k => k.PreviousSecretValidUntil = DateTimeOffset.UtcNow.AddMinutes(-1));

        await Report([expired.Secret, inGrace.Secret, graceOver.Secret]);

        Assert.Null((await app.KeyRowAsync(expired.Key.Id)).RevokedAt);
        Assert.Null((await app.KeyRowAsync(graceOver.Key.Id)).RevokedAt); // its old secret opens nothing any more
        Assert.NotNull((await app.KeyRowAsync(inGrace.Key.Id)).RevokedAt); // its old secret still worked
    }

    [Fact]
    public async Task Only_the_first_hundred_well_formed_keys_of_a_report_are_considered()
    {
        var issued = await app.CreateKeyAsync(WorldKeys.KeyRequest("one-too-many"));
        var unknown = Enumerable.Range(0, LeakReports.MaxKeysPerReport).Select(_ => app.Format.Generate(KeyEnvironment.Test));

        Assert.Equal(HttpStatusCode.Accepted, (await Report([.. unknown, issued.Secret])).StatusCode);
        Assert.Null((await app.KeyRowAsync(issued.Key.Id)).RevokedAt);

        Assert.Equal(HttpStatusCode.Accepted, (await Report([.. Enumerable.Repeat("kd_test_malformed", 500), issued.Secret])).StatusCode);
        Assert.NotNull((await app.KeyRowAsync(issued.Key.Id)).RevokedAt); // malformed strings do not use up the hundred
    }

    [Theory]
    [InlineData("""{"keys":["kd_live_x"]}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""[["kd_live_x"]]""")]
    [InlineData("null")]
    [InlineData("not json")]
    [InlineData("""["unterminated""")]
    public async Task A_body_that_is_not_a_json_array_of_strings_gets_400_problem_details(string body)
    {
        var response = await app.ApiClient().PostAsync("/api/v1/leaks", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task A_body_without_a_json_content_type_gets_415_problem_details(string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""["kd_live_x"]"""));
        if (contentType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await app.ApiClient().PostAsync("/api/v1/leaks", content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Invalid_utf8_gets_400_problem_details()
    {
        var content = new ByteArrayContent([(byte)'[', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']']);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await AssertProblemAsync(await app.ApiClient().PostAsync("/api/v1/leaks", content), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_64_KB_gets_413_and_revokes_nothing_with_or_without_a_content_length(bool withContentLength)
    {
        long? lengthSeen = -1;
        await using var recording = new KeyDashboardFactory
        {
            ConfigureServices = services => services.AddSingleton<IStartupFilter>(new RequestLengthRecorder(length => lengthSeen = length)),
        };
        var issued = await recording.CreateKeyAsync(WorldKeys.KeyRequest("in-a-huge-report"));
        var body = OverLimit(issued.Secret);
        HttpContent content = withContentLength ? new ByteArrayContent(body) : new UnsizedContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leaks") { Content = content };
        if (!withContentLength) request.Headers.TransferEncodingChunked = true;

        var response = await recording.ApiClient().SendAsync(request);

        Assert.Equal(withContentLength ? body.Length : null, lengthSeen);
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Null((await recording.KeyRowAsync(issued.Key.Id)).RevokedAt);
    }

    [Fact]
    public async Task On_kestrel_a_chunked_body_over_64_KB_gets_413_too()
    {
        await using var kestrel = new KeyDashboardFactory { OnKestrel = true };
        var issued = await kestrel.CreateKeyAsync(WorldKeys.KeyRequest("in-a-chunked-report"));
        using var client = new HttpClient { BaseAddress = kestrel.BaseAddress };
        var content = new UnsizedContent(OverLimit(issued.Secret));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leaks") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Null((await kestrel.KeyRowAsync(issued.Key.Id)).RevokedAt);
        // Kestrel's own limit on the endpoint, which stops reading the socket there, not only the endpoint's count.
        var endpoint = kestrel.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == "/api/v1/leaks");
        Assert.Equal(LeakReportEndpointLimit, endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize);
    }

    [Fact]
    public async Task Reports_of_only_malformed_strings_never_reach_the_database()
    {
        var commands = new CommandCounter();
        await using var counted = new KeyDashboardFactory
        {
            ConfigureServices = services => services.ConfigureDbContext<KeyDashboard.Data.AppDbContext>(o => o.AddInterceptors(commands)),
        };
        var malformed = KeySecrets.WithWrongChecksum(counted.Format.Generate(KeyEnvironment.Live));
        _ = counted.Services; // started: the database is migrated before counting
        await Task.Delay(KeyUsageFlusher.Interval);
        var before = commands.Count;

        var response = await counted.ApiClient().PostAsJsonAsync("/api/v1/leaks", new[] { malformed, "kd_test_short", "password123", new string('k', 300) });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(before, commands.Count);
        // The same counter sees a well-formed key's lookup: the assertion above can fail.
        await counted.ApiClient().PostAsJsonAsync("/api/v1/leaks", new[] { counted.Format.Generate(KeyEnvironment.Live) });
        Assert.True(commands.Count > before);
    }

    [Fact]
    public async Task Reports_over_the_limit_of_an_address_get_429_with_Retry_After_and_other_addresses_go_on()
    {
        await using var limited = new KeyDashboardFactory { LeakReportsPerMinutePerAddress = 2 };
        var reporter = limited.ApiClient(clientAddress: "203.0.113.70");

        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await reporter.PostAsJsonAsync("/api/v1/leaks", new[] { "x" })).StatusCode);
        var refused = await reporter.PostAsJsonAsync("/api/v1/leaks", new[] { "x" });

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Accepted,
            (await limited.ApiClient(clientAddress: "203.0.113.71").PostAsJsonAsync("/api/v1/leaks", new[] { "x" })).StatusCode);
    }

    [Fact]
    public async Task IPv6_addresses_share_the_limit_of_their_64_block()
    {
        await using var limited = new KeyDashboardFactory { LeakReportsPerMinutePerAddress = 1 };

        Assert.Equal(HttpStatusCode.Accepted, (await limited.ApiClient(clientAddress: "2001:db8:1:2::1").PostAsJsonAsync("/api/v1/leaks", new[] { "x" })).StatusCode);

        await AssertProblemAsync(await limited.ApiClient(clientAddress: "2001:db8:1:2:ffff::9").PostAsJsonAsync("/api/v1/leaks", new[] { "x" }),
            HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.Accepted, (await limited.ApiClient(clientAddress: "2001:db8:1:3::1").PostAsJsonAsync("/api/v1/leaks", new[] { "x" })).StatusCode);
    }

    private Task<HttpResponseMessage> Report(IEnumerable<string?> strings, string clientAddress = KeyDashboardFactory.DefaultClientAddress) =>
        app.ApiClient(clientAddress: clientAddress).PostAsJsonAsync("/api/v1/leaks", strings);

    /// <summary>A live key first, then padding past 64 KB: refused whole, so the key is never read.</summary>
    private static byte[] OverLimit(string secret) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { secret, new string('a', LeakReportEndpointLimit + 1) }));

    private const int LeakReportEndpointLimit = KeyDashboard.Api.LeakReportEndpoint.MaxBodyBytes;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    /// <summary>Tells what Content-Length the app saw on a request.</summary>
    private sealed class RequestLengthRecorder(Action<long?> record) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                record(context.Request.ContentLength);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>A body whose length is not known up front: sent without Content-Length (chunked over a real connection).</summary>
    private sealed class UnsizedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
