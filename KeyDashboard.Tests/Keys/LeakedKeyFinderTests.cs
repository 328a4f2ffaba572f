using System.Data.Common;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Keys;

public sealed class LeakedKeyFinderTests : IAsyncLifetime
{
    private readonly KeyQueryCounter _keyQueries = new();
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private LeakedKeyFinder _finder = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // The production data setup over the test database's folder, plus an interceptor that sees every key query.
        _services = new ServiceCollection()
            .AddKeyDashboardData(_database.Configuration, _database.Directory)
            .ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(_keyQueries))
            .BuildServiceProvider();
        var factory = _services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        _finder = new LeakedKeyFinder(factory, _database.Format, new ApiKeyLookup(factory, _database.Format, _database.Hasher), _database.Clock);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public async Task Finds_a_key_of_the_current_workspace_and_audits_which_one(string role)
    {
        var key = await _database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync") with { OwnerUserId = _database.Member.Id });
        var user = role == Roles.Owner ? _database.Owner : _database.Admin;

        var result = await _finder.FindAsync(_database.ActorFor(user), _database.Workspace.Id, $"  {key.Secret}\n");

        var found = Assert.Single(result.Value!.Keys);
        Assert.True(_keyQueries.Count > 0, "the lookup should have queried the keys: the tests expecting no key query rely on this count");
        Assert.Equal((key.Key.Id, _database.Workspace.Id, "Acme", _database.Member.Email), (found.Key.Id, found.WorkspaceId, found.WorkspaceName, found.Key.OwnerName));
        Assert.False(found.ViaPreviousSecret);
        var entry = Assert.Single(await _database.AuditEntriesAsync(AuditActions.KeyLookup));
        Assert.Equal((_database.Workspace.Id, user.Id, "key", key.Key.Id), (entry.WorkspaceId, entry.ActorId, entry.TargetType, entry.TargetId));
        Assert.Contains("\"matched\":true", entry.Details);
        await AssertNowhereAsync(key.Secret);
    }

    [Fact]
    public async Task Finds_a_key_of_another_workspace_the_user_administers()
    {
        await _database.AddMembershipAsync(_database.OtherWorkspace, _database.Admin, Roles.Admin);
        var theirs = await _database.CreateKeyAsync(by: _database.OtherAdmin, workspace: _database.OtherWorkspace);

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, theirs.Secret);

        var found = Assert.Single(result.Value!.Keys);
        Assert.Equal((theirs.Key.Id, _database.OtherWorkspace.Id, "Other"), (found.Key.Id, found.WorkspaceId, found.WorkspaceName));
        var entry = Assert.Single(await _database.AuditEntriesAsync(AuditActions.KeyLookup));
        Assert.Equal((_database.OtherWorkspace.Id, theirs.Key.Id), (entry.WorkspaceId, entry.TargetId));
    }

    [Fact]
    public async Task A_key_of_a_workspace_where_the_user_is_only_a_member_is_no_match()
    {
        await _database.AddMembershipAsync(_database.OtherWorkspace, _database.Admin, Roles.Member);
        var theirs = await _database.CreateKeyAsync(by: _database.OtherAdmin, workspace: _database.OtherWorkspace);

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, theirs.Secret);

        Assert.Equal(OperationStatus.Ok, result.Status);
        Assert.Empty(result.Value!.Keys);
    }

    [Fact]
    public async Task Someone_elses_key_unknown_key_and_malformed_string_get_the_same_answer_and_audit_entry()
    {
        var theirs = await _database.CreateKeyAsync(by: _database.OtherAdmin, workspace: _database.OtherWorkspace);
        var unknown = _database.Format.Generate(KeyEnvironment.Live);
        var actor = _database.ActorFor(_database.Admin);

        var answers = new List<OperationResult<LeakedKeys>>();
        foreach (var presented in new[] { theirs.Secret, unknown, "not a key at all" })
            answers.Add(await _finder.FindAsync(actor, _database.Workspace.Id, presented));

        Assert.All(answers, a => Assert.Equal((OperationStatus.Ok, 0, false, (string?)null), (a.Status, a.Value!.Keys.Count, a.Value.MoreThanLookedUp, a.Message)));
        var entries = await _database.AuditEntriesAsync(AuditActions.KeyLookup);
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal((_database.Workspace.Id, (string?)null, (string?)null, "{\"matched\":false}"), (e.WorkspaceId!.Value, e.TargetId, e.TargetName, e.Details)));
        Assert.Empty((await _database.AuditEntriesAsync()).Where(e => e.WorkspaceId == _database.OtherWorkspace.Id && e.Action == AuditActions.KeyLookup));
        await AssertNowhereAsync(theirs.Secret);
        await AssertNowhereAsync(unknown);
    }

    [Fact]
    public async Task A_malformed_string_is_answered_without_querying_the_keys()
    {
        var key = await _database.CreateKeyAsync();
        var mistyped = KeySecrets.WithWrongChecksum(key.Secret);
        _keyQueries.Reset();

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, mistyped);

        Assert.Empty(result.Value!.Keys);
        Assert.Equal(0, _keyQueries.Count);
        Assert.Single(await _database.AuditEntriesAsync(AuditActions.KeyLookup));
    }

    [Fact]
    public async Task The_old_secret_of_a_rotation_is_found_and_said_to_be_the_old_one()
    {
        var key = await _database.CreateKeyAsync();
        await _database.KeyService().RotateAsync(_database.ActorFor(_database.Owner), _database.Workspace.Id, key.Key.Id, RotationGrace.OneDay);

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, key.Secret);

        Assert.True(Assert.Single(result.Value!.Keys).ViaPreviousSecret);
        Assert.Contains("\"oldSecret\":true", Assert.Single(await _database.AuditEntriesAsync(AuditActions.KeyLookup)).Details);
    }

    [Fact]
    public async Task A_member_is_refused_and_nothing_is_looked_up_or_recorded()
    {
        var key = await _database.CreateKeyAsync();
        _keyQueries.Reset();

        var result = await _finder.FindAsync(_database.ActorFor(_database.Member), _database.Workspace.Id, key.Secret);

        Assert.Equal((OperationStatus.Forbidden, "Only owners and admins can look up leaked keys."), (result.Status, result.Message));
        Assert.Null(result.Value);
        Assert.Equal(0, _keyQueries.Count);
        Assert.Empty(await _database.AuditEntriesAsync(AuditActions.KeyLookup));
    }

    [Fact]
    public async Task Someone_outside_the_workspace_gets_not_found()
    {
        var key = await _database.CreateKeyAsync();

        var result = await _finder.FindAsync(_database.ActorFor(_database.Outsider), _database.Workspace.Id, key.Secret);

        Assert.Equal(OperationStatus.NotFound, result.Status);
        Assert.Empty(await _database.AuditEntriesAsync(AuditActions.KeyLookup));
    }

    [Theory]
    [InlineData("Authorization: Bearer {0}")]
    [InlineData("2025-06-01T10:00:00Z INFO POST /v1/emails {{\"headers\":{{\"authorization\":\"Bearer {0}\"}},\"status\":200}}")]
    [InlineData("curl -H 'Authorization: Bearer {0}' https://api.example.com/v1/me")]
    [InlineData("KD_API_KEY={0}\n")]
    [InlineData("https://example.com/callback?api_key={0}&next=%2F")]
    [InlineData("xx{0}yy")]
    public async Task Finds_a_key_inside_a_line_of_text(string line)
    {
        var key = await _database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, string.Format(line, key.Secret));

        Assert.Equal(key.Key.Id, Assert.Single(result.Value!.Keys).Key.Id);
        await AssertNowhereAsync(key.Secret);
    }

    [Fact]
    public async Task Finds_every_key_in_a_text_each_once_in_order_and_audits_each()
    {
        var first = await _database.CreateKeyAsync(WorldKeys.KeyRequest("first"));
        var second = await _database.CreateKeyAsync(WorldKeys.KeyRequest("second"));
        var theirs = await _database.CreateKeyAsync(by: _database.OtherAdmin, workspace: _database.OtherWorkspace);
        var text = $$"""
            {"level":"info","key":"{{second.Secret}}"}
            Authorization: Bearer {{first.Secret}}
            retry with {{second.Secret}}, then {{theirs.Secret}} and {{_database.Format.Generate(KeyEnvironment.Test)}}
            """;

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, text);

        Assert.Equal(["second", "first"], result.Value!.Keys.Select(k => k.Key.Name));
        Assert.False(result.Value.MoreThanLookedUp);
        var entries = await _database.AuditEntriesAsync(AuditActions.KeyLookup);
        Assert.Equal(new[] { first.Key.Id, second.Key.Id }.Order(), entries.Select(e => e.TargetId!).Order());
        Assert.DoesNotContain(entries, e => e.WorkspaceId == _database.OtherWorkspace.Id);
        await AssertNowhereAsync(first.Secret);
        await AssertNowhereAsync(second.Secret);
    }

    [Fact]
    public async Task A_key_present_by_its_old_and_its_new_secret_is_shown_once_as_the_new_one()
    {
        var key = await _database.CreateKeyAsync();
        var rotated = await _database.KeyService().RotateAsync(_database.ActorFor(_database.Owner), _database.Workspace.Id, key.Key.Id, RotationGrace.OneDay);

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, $"old {key.Secret} new {rotated.Value!.Secret}");

        Assert.False(Assert.Single(result.Value!.Keys).ViaPreviousSecret);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nothing to see here")]
    [InlineData("kd_live_ kd_test_short kd_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA kd_")]
    [InlineData("\u0000\uFFFF 🔑 <script>alert(1)</script> ' OR 1=1 --")]
    public async Task Text_without_a_well_formed_key_matches_none_and_queries_no_key(string junk)
    {
        var key = await _database.CreateKeyAsync();
        var text = junk + " " + KeySecrets.WithWrongChecksum(key.Secret);
        _keyQueries.Reset();

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, text);

        Assert.Equal(OperationStatus.Ok, result.Status);
        Assert.Empty(result.Value!.Keys);
        Assert.Equal(0, _keyQueries.Count);
        Assert.Contains("\"matched\":false", Assert.Single(await _database.AuditEntriesAsync(AuditActions.KeyLookup)).Details);
    }

    [Fact]
    public async Task Text_of_100_KB_is_searched_and_anything_longer_is_refused_without_a_lookup()
    {
        var key = await _database.CreateKeyAsync();
        var line = $"Authorization: Bearer {key.Secret}\n";
        var atLimit = line + new string('.', LeakedKeyFinder.MaxTextBytes - line.Length);
        var actor = _database.ActorFor(_database.Admin);

        var searched = await _finder.FindAsync(actor, _database.Workspace.Id, atLimit);
        _keyQueries.Reset();
        var refused = await _finder.FindAsync(actor, _database.Workspace.Id, atLimit + ".");
        // Counted in UTF-8 bytes, as a file of that size would be: 2 bytes for each "é".
        var refusedAsBytes = await _finder.FindAsync(actor, _database.Workspace.Id, line + new string('é', LeakedKeyFinder.MaxTextBytes / 2));

        Assert.Equal(key.Key.Id, Assert.Single(searched.Value!.Keys).Key.Id);
        Assert.All([refused, refusedAsBytes], r => Assert.Equal((OperationStatus.Invalid, LeakedKeyFinder.TooLong), (r.Status, r.Message)));
        Assert.Equal("The text is over 100 KB. Paste only the lines around the key.", LeakedKeyFinder.TooLong);
        Assert.Equal(0, _keyQueries.Count);
        Assert.Single(await _database.AuditEntriesAsync(AuditActions.KeyLookup));
    }

    [Fact]
    public async Task A_text_with_more_than_100_keys_looks_up_the_first_100_and_says_so()
    {
        var key = await _database.CreateKeyAsync();
        var unknown = Enumerable.Range(0, LeakedKeyFinder.MaxKeys).Select(_ => _database.Format.Generate(KeyEnvironment.Test));

        var first = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, string.Join("\n", [key.Secret, .. unknown]));
        var last = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, string.Join("\n", [.. unknown, key.Secret]));

        Assert.Equal((1, true), (first.Value!.Keys.Count, first.Value.MoreThanLookedUp));
        Assert.Equal((0, true), (last.Value!.Keys.Count, last.Value.MoreThanLookedUp));
    }

    /// <summary>The looked-up string is in no table: not in the audit log, not in any key row.</summary>
    private async Task AssertNowhereAsync(string secret)
    {
        var snapshot = await DatabaseSnapshot.TakeAsync(_database);
        Assert.DoesNotContain(secret, snapshot.Keys);
        Assert.DoesNotContain(secret, snapshot.AuditEntries);
        Assert.DoesNotContain(secret[8..20], snapshot.AuditEntries);
    }

    /// <summary>Counts the commands that read the keys table.</summary>
    private sealed class KeyQueryCounter : DbCommandInterceptor
    {
        private int _count;
        public int Count => _count;
        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("FROM \"ApiKeys\"")) Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }
    }
}
