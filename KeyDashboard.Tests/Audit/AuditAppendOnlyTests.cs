using System.Data.Common;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Tests.Audit;

/// <summary>Audit entries cannot be changed or removed: not through EF, and not past EF, straight in the database.</summary>
public sealed class AuditAppendOnlyTests
{
    [Fact]
    public async Task Updating_an_entry_through_ef_throws()
    {
        await using var database = await WithOneEntryAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);
        await using var db = await database.DbFactory.CreateDbContextAsync();
        var entry = await db.AuditEntries.FirstAsync();
        entry.Details = "rewritten";

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task Deleting_an_entry_through_ef_throws()
    {
        await using var database = await WithOneEntryAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);
        await using var db = await database.DbFactory.CreateDbContextAsync();
        db.AuditEntries.Remove(await db.AuditEntries.FirstAsync());

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Theory]
    [InlineData("UPDATE \"AuditEntries\" SET \"Details\" = 'rewritten'")]
    [InlineData("UPDATE \"AuditEntries\" SET \"ActorId\" = NULL, \"ActorName\" = NULL")]
    [InlineData("DELETE FROM \"AuditEntries\"")]
    public async Task Raw_sql_that_changes_entries_is_stopped_by_the_database(string sql)
    {
        await using var database = await WithOneEntryAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);
        await using var db = await database.DbFactory.CreateDbContextAsync();

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("append-only", refused.Message);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Fact]
    public async Task Bulk_updates_and_deletes_that_skip_save_changes_are_stopped_too()
    {
        await using var database = await WithOneEntryAsync();
        var before = await DatabaseSnapshot.TakeAsync(database);
        await using var db = await database.DbFactory.CreateDbContextAsync();

        await Assert.ThrowsAnyAsync<DbException>(() => db.AuditEntries.ExecuteUpdateAsync(s => s.SetProperty(a => a.Details, "rewritten")));
        await Assert.ThrowsAnyAsync<DbException>(() => db.AuditEntries.ExecuteDeleteAsync());
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    private static async Task<TestDatabase> WithOneEntryAsync()
    {
        var database = await TestDatabase.CreateAsync();
        await database.CreateKeyAsync();
        return database;
    }
}
