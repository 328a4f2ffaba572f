using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KeyDashboard.Tests.Keys;

public sealed class KeyUsageRecorderTests : IAsyncLifetime
{
    private readonly CommandCounter _commands = new();
    private TestDatabase _database = null!;
    private ServiceProvider _services = null!;
    private KeyUsageRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _services = _database.CountingServices(_commands);
        _recorder = new KeyUsageRecorder(_services.GetRequiredService<IDbContextFactory<AppDbContext>>(), TestMetrics.Create(), NullLogger<KeyUsageRecorder>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_flush_keeps_its_counts_for_the_next_one()
    {
        var key = await _database.CreateKeyAsync();
        var now = _database.Clock.GetUtcNow();
        for (var i = 0; i < 10; i++) _recorder.Record(key.Key.Id, now, "198.51.100.1", viaPreviousSecret: false);

        _commands.FailNext(1);
        await Assert.ThrowsAnyAsync<Exception>(_recorder.FlushAsync);
        for (var i = 0; i < 5; i++) _recorder.Record(key.Key.Id, now.AddDays(1), "198.51.100.2", viaPreviousSecret: false);
        await _recorder.FlushAsync();

        var row = await _database.KeyRowAsync(key.Key.Id);
        Assert.Equal(15, row.UsageCount);
        Assert.Equal(now.AddDays(1), row.LastUsedAt);
        Assert.Equal("198.51.100.2", row.LastUsedFrom);
        await using var db = await _database.DbFactory.CreateDbContextAsync();
        var days = await db.KeyUsageDays.Where(u => u.ApiKeyId == key.Key.Id).OrderBy(u => u.Day).Select(u => u.Count).ToListAsync();
        Assert.Equal([10L, 5L], days);
    }

    [Fact]
    public async Task A_flush_adds_to_the_stored_counts_without_touching_the_concurrency_stamp()
    {
        var key = await _database.CreateKeyAsync();
        var now = _database.Clock.GetUtcNow();
        _recorder.Record(key.Key.Id, now, null, viaPreviousSecret: false);
        await _recorder.FlushAsync();
        var stamp = (await _database.KeyRowAsync(key.Key.Id)).ConcurrencyStamp;
        _recorder.Record(key.Key.Id, now, null, viaPreviousSecret: false);
        var recorded = _recorder.Record(key.Key.Id, now, null, viaPreviousSecret: false);

        await _recorder.FlushAsync();

        var row = await _database.KeyRowAsync(key.Key.Id);
        Assert.Equal(3, row.UsageCount);
        Assert.Equal(stamp, row.ConcurrencyStamp);
        Assert.Equal(3, recorded);
    }

    [Fact]
    public async Task Nothing_to_flush_touches_no_database()
    {
        await _recorder.FlushAsync();

        Assert.Equal(0, _commands.Count);
    }
}
