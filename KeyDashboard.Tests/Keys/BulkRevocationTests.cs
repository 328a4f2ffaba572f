using System.Data.Common;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Email;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Keys;

public sealed class BulkRevocationTests
{
    [Fact]
    public async Task Revokes_every_key_with_one_audit_entry_each_and_announces_the_change_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        var first = await database.CreateKeyAsync(WorldKeys.KeyRequest("first"));
        var second = await database.CreateKeyAsync(WorldKeys.KeyRequest("second"));
        var untouched = await database.CreateKeyAsync(WorldKeys.KeyRequest("untouched"));
        var announced = new List<Guid>();
        database.Changes.Changed += announced.Add;

        var result = await database.KeyService().RevokeManyAsync(database.ActorFor(database.Admin), database.Workspace.Id,
            [first.Key.Id, second.Key.Id], "  stale keys clean-up ");

        Assert.Equal(OperationStatus.Ok, result.Status);
        Assert.Equal(2, result.Value!.Revoked);
        Assert.All(result.Value.Keys, k => Assert.Equal(KeyStatus.Revoked, k.Status));
        Assert.False(await database.IsUsableNowAsync(first.Secret));
        Assert.False(await database.IsUsableNowAsync(second.Secret));
        Assert.True(await database.IsUsableNowAsync(untouched.Secret));
        var rows = new[] { await database.KeyRowAsync(first.Key.Id), await database.KeyRowAsync(second.Key.Id) };
        Assert.All(rows, row =>
        {
            Assert.Equal(database.Admin.Id, row.RevokedByUserId);
            Assert.Equal("stale keys clean-up", row.RevokedReason);
        });
        var audit = await database.AuditEntriesAsync(AuditActions.KeyRevoked);
        Assert.Equal(new[] { first.Key.Id, second.Key.Id }.Order(), audit.Select(a => a.TargetId!).Order());
        Assert.All(audit, a => Assert.Equal(database.Admin.Id, a.ActorId));
        Assert.Equal([database.Workspace.Id], announced);
    }

    [Fact]
    public async Task Already_revoked_keys_are_skipped_without_a_second_audit_entry()
    {
        await using var database = await TestDatabase.CreateAsync();
        var revoked = await database.CreateKeyAsync(WorldKeys.KeyRequest("revoked"));
        var live = await database.CreateKeyAsync(WorldKeys.KeyRequest("live"));
        var keys = database.KeyService();
        await keys.RevokeAsync(database.ActorFor(database.Owner), database.Workspace.Id, revoked.Key.Id, "first");
        var firstRevocation = await database.KeyRowAsync(revoked.Key.Id);
        database.Clock.Advance(TimeSpan.FromHours(1));

        var result = await keys.RevokeManyAsync(database.ActorFor(database.Admin), database.Workspace.Id, [revoked.Key.Id, live.Key.Id], "second");

        Assert.Equal((1, 1), (result.Value!.Revoked, result.Value.AlreadyRevoked));
        var row = await database.KeyRowAsync(revoked.Key.Id);
        Assert.Equal((firstRevocation.RevokedAt, "first"), (row.RevokedAt, row.RevokedReason));
        Assert.Single(await database.AuditEntriesAsync(AuditActions.KeyRevoked), a => a.TargetId == revoked.Key.Id);
    }

    [Fact]
    public async Task A_member_is_refused_and_nothing_changes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await database.KeyService().RevokeManyAsync(database.ActorFor(database.Member), database.Workspace.Id, [key.Key.Id], null);

        Assert.Equal(OperationStatus.Forbidden, result.Status);
        Assert.Equal(Permissions.Refusal(Permission.ManageKeys), result.Message);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task Someone_outside_the_workspace_gets_not_found_and_nothing_changes()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await database.KeyService().RevokeManyAsync(database.ActorFor(database.OtherAdmin), database.Workspace.Id, [key.Key.Id], null);

        Assert.Equal(OperationStatus.NotFound, result.Status);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task One_key_of_another_workspace_among_them_revokes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var mine = await database.CreateKeyAsync(WorldKeys.KeyRequest("mine"));
        var theirs = await database.CreateKeyAsync(WorldKeys.KeyRequest("theirs"), database.OtherAdmin, database.OtherWorkspace);
        var before = await DatabaseSnapshot.TakeAsync(database);

        var result = await database.KeyService().RevokeManyAsync(database.ActorFor(database.Admin), database.Workspace.Id, [mine.Key.Id, theirs.Key.Id], null);

        Assert.Equal(OperationStatus.NotFound, result.Status);
        Assert.Equal("No such key in this workspace.", result.Message);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ApiKeyService.MaxBulkRevocation + 1)]
    public async Task No_keys_or_too_many_keys_are_refused(int count)
    {
        await using var database = await TestDatabase.CreateAsync();
        var ids = Enumerable.Range(0, count).Select(i => $"key_{i}").ToList();

        var result = await database.KeyService().RevokeManyAsync(database.ActorFor(database.Admin), database.Workspace.Id, ids, null);

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.Contains("keyIds", result.Errors.Keys);
    }

    [Fact]
    public async Task A_reason_with_control_characters_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var key = await database.CreateKeyAsync();

        var result = await database.KeyService().RevokeManyAsync(database.ActorFor(database.Admin), database.Workspace.Id, [key.Key.Id], "bad\0reason");

        Assert.Equal(OperationStatus.Invalid, result.Status);
        Assert.True(await database.IsUsableNowAsync(key.Secret));
    }

    [Fact]
    public async Task A_failure_halfway_through_commits_nothing_it_is_one_transaction()
    {
        await using var database = await TestDatabase.CreateAsync();
        var first = await database.CreateKeyAsync(WorldKeys.KeyRequest("first"));
        var second = await database.CreateKeyAsync(WorldKeys.KeyRequest("second"));
        var failing = new FailOnSecondWrite();
        await using var services = new ServiceCollection()
            .AddKeyDashboardData(database.Configuration, database.Directory)
            .ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(failing))
            .BuildServiceProvider();
        var keys = new ApiKeyService(services.GetRequiredService<IDbContextFactory<AppDbContext>>(), database.Format, database.Hasher,
            database.Scopes, database.Clock, database.Changes, database.Services.GetRequiredService<RevokedKeyNotices>());
        var before = await DatabaseSnapshot.TakeAsync(database);

        await Assert.ThrowsAnyAsync<Exception>(() => keys.RevokeManyAsync(database.ActorFor(database.Admin), database.Workspace.Id, [first.Key.Id, second.Key.Id], null));

        Assert.True(failing.Writes >= 2, "the first write should have run before the failure");
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task The_impact_lists_each_key_with_its_last_use_and_recent_requests()
    {
        await using var database = await TestDatabase.CreateAsync();
        var used = await database.CreateKeyAsync(WorldKeys.KeyRequest("used"));
        var unused = await database.CreateKeyAsync(WorldKeys.KeyRequest("unused"));
        var theirs = await database.CreateKeyAsync(WorldKeys.KeyRequest("theirs"), database.OtherAdmin, database.OtherWorkspace);
        var lastUse = database.Clock.GetUtcNow().AddHours(-2);
        await database.UpdateKeyRowAsync(used.Key.Id, k => { k.LastUsedAt = lastUse; k.LastUsedFrom = "203.0.113.5"; });
        await database.AddUsageAsync(used.Key.Id, (0, 40), (-1, 2), (-2, 1000));

        var impact = await database.KeyService().ImpactAsync(database.ActorFor(database.Member), database.Workspace.Id,
            [used.Key.Id, unused.Key.Id, theirs.Key.Id]);

        Assert.Equal(new KeyImpact(lastUse, "203.0.113.5", 42), impact.Value![used.Key.Id]);
        Assert.Equal(new KeyImpact(null, null, 0), impact.Value[unused.Key.Id]);
        Assert.False(impact.Value.ContainsKey(theirs.Key.Id));
    }

    /// <summary>
    /// Lets the first write through and fails at the second, as a crash halfway through would: the second command,
    /// or the first when it carries both, as PostgreSQL's batches of statements do.
    /// </summary>
    private sealed class FailOnSecondWrite : DbCommandInterceptor
    {
        public int Writes;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            var writes = Occurrences(command.CommandText, "UPDATE \"ApiKeys\"") + Occurrences(command.CommandText, "INSERT INTO \"AuditEntries\"");
            var after = Interlocked.Add(ref Writes, writes);
            if (writes > 0 && after >= 2 && after - writes < 2)
                throw new InvalidOperationException("Simulated failure halfway through the revocation.");
            return ValueTask.FromResult(result);
        }

        private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
    }
}
