using System.Net;
using System.Text.Json;
using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using static KeyDashboard.Tests.TestSupport.WorldAudit;

namespace KeyDashboard.Tests.AuditLog;

public sealed class AuditExportEndpointTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private const string Export = "/audit/export.csv";

    [Fact]
    public async Task Signed_out_requests_get_401_and_no_rows()
    {
        var response = await app.CreateBrowser().GetAsync(Export);

        // An endpoint, not a page: the cookie handler answers 401 rather than redirecting to the login form.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Time (UTC)", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_member_gets_403_with_the_reason_and_no_rows()
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Member.Email!);
        var before = (await app.AuditEntriesAsync()).Count;

        var response = await browser.GetAsync(Export);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(Permissions.Refusal(Permission.SeeAuditLog), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await app.AuditEntriesAsync()).Count);
    }

    [Fact]
    public async Task An_owner_downloads_their_own_workspaces_rows_with_formulas_defused()
    {
        var acme = app.World.Workspace;
        const string formula = "=HYPERLINK(\"http://x\")";
        await app.CreateKeyAsync(WorldKeys.KeyRequest(formula));
        await app.CreateKeyAsync(WorldKeys.KeyRequest("other-workspace-key"), by: app.World.OtherAdmin, workspace: app.World.OtherWorkspace);
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);

        var response = await browser.GetAsync(Export);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches(@"^audit-log-\d{4}-\d{2}-\d{2}\.csv$", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var text = await response.Content.ReadAsStringAsync();
        var rows = Csv.Parse(text);
        Assert.Equal(AuditCsv.Header, rows[0]);
        var created = Assert.Single(rows, r => r[4] == AuditActions.KeyCreated && r[6].Contains("HYPERLINK"));
        Assert.Equal("'" + formula, created[6]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", text);
        Assert.DoesNotContain("other-workspace-key", text);
        Assert.DoesNotContain(app.World.OtherAdmin.Email!, text);
        var acmeEntries = (await app.AuditEntriesAsync()).Where(e => e.WorkspaceId == acme.Id).Select(e => e.Id).ToList();
        Assert.True(rows.Count - 1 <= acmeEntries.Count, "The export holds rows that are not the Acme workspace's entries.");
    }

    [Fact]
    public async Task Commas_quotes_and_line_breaks_survive_the_round_trip()
    {
        var acme = app.World.Workspace;
        const string details = "reason: \"leaked, in chat\"\r\nsecond line\nthird";
        var marker = $"quoting-{Guid.NewGuid():N}";
        await app.AddAuditEntriesAsync([Entry(acme.Id, AuditActions.KeyRevoked, DateTimeOffset.UtcNow, targetId: marker, targetName: "a,b", details: details)]);
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Admin.Email!);

        var rows = Csv.Parse(await browser.GetStringAsync($"{Export}?key={marker}"));

        var row = Assert.Single(rows.Skip(1));
        Assert.Equal(("a,b", marker, details), (row[6], row[7], row[9]));
        Assert.All(rows, r => Assert.Equal(AuditCsv.Header.Count, r.Count));
    }

    [Fact]
    public async Task A_revocation_reason_reads_in_the_export_as_it_was_typed()
    {
        const string reason = "don't paste keys in chat + <b>Zoë</b> & co";
        var key = await app.CreateKeyAsync(WorldKeys.KeyRequest($"typed-{Guid.NewGuid():N}"));
        await app.AsOwnerAsync((keys, owner, workspaceId) => keys.RevokeAsync(owner, workspaceId, key.Key.Id, reason));
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);

        var rows = Csv.Parse(await browser.GetStringAsync($"{Export}?key={key.Key.Id}&action={AuditActions.KeyRevoked}"));

        var details = Assert.Single(rows.Skip(1))[9];
        Assert.Contains(reason, details);
        Assert.Equal(reason, JsonDocument.Parse(details).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_query_string_filters_like_the_page()
    {
        var acme = app.World.Workspace;
        var day = new DateTimeOffset(2020, 3, 4, 0, 0, 0, TimeSpan.Zero);
        await app.AddAuditEntriesAsync([
            Entry(acme.Id, AuditActions.KeyRotated, day.AddHours(1), actorName: "filter-actor@example.com", targetId: "in-range"),
            Entry(acme.Id, AuditActions.KeyRotated, day.AddDays(1), actorName: "filter-actor@example.com", targetId: "next-day"),
            Entry(acme.Id, AuditActions.KeyEdited, day.AddHours(2), actorName: "filter-actor@example.com", targetId: "other-action"),
            Entry(acme.Id, AuditActions.KeyRotated, day.AddHours(3), actorName: "someone-else@example.com", targetId: "other-actor"),
        ]);
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);

        var rows = Csv.Parse(await browser.GetStringAsync(
            $"{Export}?actor=FILTER-actor&action=key.rotated&from=2020-03-04T00:00:00Z&to={Uri.EscapeDataString("2020-03-05T00:00:00+00:00")}"));

        Assert.Equal(["in-range"], rows.Skip(1).Select(r => r[7]));
        Assert.Equal("2020-03-04T01:00:00.000Z", rows[1][0]);
    }

    [Theory]
    [InlineData("from=2020-03-05T00:00:00Z&to=2020-03-04T00:00:00Z")]
    [InlineData("from=yesterday")]
    public async Task Bad_filters_get_400(string query)
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Owner.Email!);

        var response = await browser.GetAsync($"{Export}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

/// <summary>A large log, in an app of its own: its 50,000 entries would slow every other export test.</summary>
public sealed class AuditExportStreamingTests : IAsyncLifetime
{
    private const int Rows = 50_000;
    private readonly KeyDashboardFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Fifty_thousand_entries_stream_out_without_a_content_length()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        await _app.AddAuditEntriesAsync(Enumerable.Range(0, Rows)
            .Select(i => Entry(_app.World.Workspace.Id, AuditActions.KeyEdited, start.AddSeconds(i), targetId: $"bulk-{i}", details: "{\"n\":" + i + "}")));
        var browser = _app.CreateBrowser();
        await browser.SignInOrFailAsync(_app.World.Owner.Email!);

        using var response = await browser.GetAsync("/audit/export.csv?action=key.edited", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // A body built whole before sending would know its length; a streamed one does not.
        Assert.Null(response.Content.Headers.ContentLength);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(string.Join(",", AuditCsv.Header), await reader.ReadLineAsync());
        var count = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            Assert.EndsWith($",bulk-{count},198.51.100.7,\"{{\"\"n\"\":{count}}}\"", line);
            count++;
        }
        Assert.Equal(Rows, count);
    }
}
