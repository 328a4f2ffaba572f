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
        _finder = new LeakedKeyFinder(factory, new ApiKeyLookup(factory, _database.Format, _database.Hasher), _database.Clock);
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

        var found = Assert.IsType<LeakedKey>(result.Value);
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

        Assert.Equal((theirs.Key.Id, _database.OtherWorkspace.Id, "Other"), (result.Value!.Key.Id, result.Value.WorkspaceId, result.Value.WorkspaceName));
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
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task Someone_elses_key_unknown_key_and_malformed_string_get_the_same_answer_and_audit_entry()
    {
        var theirs = await _database.CreateKeyAsync(by: _database.OtherAdmin, workspace: _database.OtherWorkspace);
        var unknown = _database.Format.Generate(KeyEnvironment.Live);
        var actor = _database.ActorFor(_database.Admin);

        var answers = new List<OperationResult<LeakedKey?>>();
        foreach (var presented in new[] { theirs.Secret, unknown, "not a key at all" })
            answers.Add(await _finder.FindAsync(actor, _database.Workspace.Id, presented));

        Assert.All(answers, a => Assert.Equal((OperationStatus.Ok, (LeakedKey?)null, (string?)null), (a.Status, a.Value, a.Message)));
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

        Assert.Null(result.Value);
        Assert.Equal(0, _keyQueries.Count);
        Assert.Single(await _database.AuditEntriesAsync(AuditActions.KeyLookup));
    }

    [Fact]
    public async Task The_old_secret_of_a_rotation_is_found_and_said_to_be_the_old_one()
    {
        var key = await _database.CreateKeyAsync();
        await _database.KeyService().RotateAsync(_database.ActorFor(_database.Owner), _database.Workspace.Id, key.Key.Id, RotationGrace.OneDay);

        var result = await _finder.FindAsync(_database.ActorFor(_database.Admin), _database.Workspace.Id, key.Secret);

        Assert.True(result.Value!.ViaPreviousSecret);
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
