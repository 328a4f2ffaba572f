using System.Data;
using System.Diagnostics;
using System.Runtime.InteropServices;
using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;
using KeyDashboard.Telemetry;
using Npgsql;

namespace KeyDashboard.Keys;

/// <summary>
/// Counts key usage in memory and writes it in batches, so an API request never waits for a database write.
/// The counts are exact, on one instance or many over one database: every recorded use is written once, by
/// <see cref="FlushAsync"/> (every second, and on shutdown, by <see cref="KeyUsageFlusher"/>), as an addition to what
/// the database holds; a failed flush keeps its counts for the next.
/// </summary>
public sealed class KeyUsageRecorder(IDbContextFactory<AppDbContext> dbFactory, KeyDashboardMetrics metrics, ILogger<KeyUsageRecorder> logger)
{
    private const int WriteAttempts = 5;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private Dictionary<string, PendingUsage> _pending = [];
    // Per key since start: what was recorded, and how much of it a flush has committed. Their difference is what
    // the database does not hold yet, which lets a live count be read without waiting for a flush.
    private readonly Dictionary<string, long> _recorded = [];
    private readonly Dictionary<string, long> _flushed = [];

    /// <summary>Counts one use of the key; returns the uses recorded since start, this one included, flushed or not.</summary>
    public long Record(string keyId, DateTimeOffset at, string? clientAddress, bool viaPreviousSecret)
    {
        lock (_lock)
        {
            ref var pending = ref CollectionsMarshal.GetValueRefOrAddDefault(_pending, keyId, out _);
            (pending ??= new PendingUsage()).Add(at, clientAddress, viaPreviousSecret);
            return ++CollectionsMarshal.GetValueRefOrAddDefault(_recorded, keyId, out _);
        }
    }

    /// <summary>
    /// Reads the key's stored usage count while no flush is writing, and returns it without the uses this process
    /// has flushed: add what <see cref="Record"/> returns to that base for the live count.
    /// </summary>
    public async Task<(T Row, long UsageBase)> ReadStoredUsageAsync<T>(string keyId, Func<Task<T>> read, Func<T, long> usageCount, CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            var row = await read();
            long flushed;
            lock (_lock) flushed = _flushed.GetValueOrDefault(keyId);
            return (row, usageCount(row) - flushed);
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>Writes everything recorded so far. On failure the counts stay pending and the exception is rethrown.</summary>
    public async Task FlushAsync()
    {
        await _flushing.WaitAsync();
        try
        {
            Dictionary<string, PendingUsage> batch;
            lock (_lock)
            {
                if (_pending.Count == 0) return;
                batch = _pending;
                _pending = [];
            }
            try
            {
                await WriteAsync(batch);
            }
            catch (Exception e)
            {
                lock (_lock)
                    foreach (var (keyId, usage) in batch)
                        _pending[keyId] = _pending.TryGetValue(keyId, out var newer) ? usage.FollowedBy(newer) : usage;
                logger.LogWarning(e, "Writing the usage of {Keys} keys failed; their counts stay pending.", batch.Count);
                throw;
            }
            lock (_lock)
                foreach (var (keyId, usage) in batch)
                    _flushed[keyId] = _flushed.GetValueOrDefault(keyId) + usage.Count;
            metrics.UsageFlushed(batch.Values.Sum(u => u.Count), Stopwatch.GetElapsedTime(batch.Values.Min(u => u.FirstRecordedAt)));
        }
        finally
        {
            _flushing.Release();
        }
    }

    // Never cancelled: a flush interrupted after its commit would be counted again from the pending copy.
    private async Task WriteAsync(Dictionary<string, PendingUsage> batch)
    {
        // Other instances flush the same keys: each takes the rows' locks in key order, so two flushes queue instead
        // of deadlocking, and should PostgreSQL still pick one as a deadlock's victim, it rolls back whole and retries.
        var ordered = batch.OrderBy(entry => entry.Key, StringComparer.Ordinal).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteOnceAsync(ordered);
                return;
            }
            catch (Exception e) when (attempt < WriteAttempts && IsLostRace(e))
            {
                logger.LogInformation("Writing usage lost a race with another instance (attempt {Attempt}); retrying.", attempt);
                await Task.Delay(Random.Shared.Next(5, 50) * attempt);
            }
        }
    }

    private async Task WriteOnceAsync(List<KeyValuePair<string, PendingUsage>> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        foreach (var (keyId, usage) in batch)
        {
            // Additive, and last-used only ever moves forward: another instance's flush may come before or after this
            // one. ExecuteUpdate leaves the ConcurrencyStamp alone: usage never conflicts with a rotation or revocation.
            var (at, from) = (usage.LastUsedAt, usage.LastUsedFrom);
            var updated = await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(set =>
            {
                set.SetProperty(k => k.UsageCount, k => k.UsageCount + usage.Count);
                set.SetProperty(k => k.LastUsedFrom, k => k.LastUsedAt == null || k.LastUsedAt < at ? from : k.LastUsedFrom);
                set.SetProperty(k => k.LastUsedAt, k => k.LastUsedAt == null || k.LastUsedAt < at ? at : k.LastUsedAt);
                if (usage.PreviousSecretLastUsedAt is { } previous)
                    set.SetProperty(k => k.PreviousSecretLastUsedAt, k => k.PreviousSecretLastUsedAt == null || k.PreviousSecretLastUsedAt < previous ? previous : k.PreviousSecretLastUsedAt);
            });
            if (updated == 0) continue; // the key is gone (its workspace was deleted): nothing left to count for

            foreach (var (day, count) in usage.Days.OrderBy(d => d.Key))
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "KeyUsageDays" ("ApiKeyId", "Day", "Count") VALUES ({keyId}, {day}, {count})
                    ON CONFLICT ("ApiKeyId", "Day") DO UPDATE SET "Count" = "KeyUsageDays"."Count" + excluded."Count"
                    """);
        }
        await transaction.CommitAsync();
    }

    /// <summary>PostgreSQL's deadlock victim and serialization failure: nothing of the transaction committed; try again.</summary>
    private static bool IsLostRace(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }
        || (e.InnerException is { } inner && IsLostRace(inner));

    private sealed class PendingUsage
    {
        public long Count { get; private set; }
        public Dictionary<DateOnly, long> Days { get; } = [];
        public DateTimeOffset LastUsedAt { get; private set; }
        public string? LastUsedFrom { get; private set; }
        public DateTimeOffset? PreviousSecretLastUsedAt { get; private set; }
        /// <summary>When the oldest use counted here was recorded (<see cref="Stopwatch.GetTimestamp"/>), for the flush lag.</summary>
        public long FirstRecordedAt { get; private set; } = Stopwatch.GetTimestamp();

        public void Add(DateTimeOffset at, string? clientAddress, bool viaPreviousSecret)
        {
            Count++;
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            Days[day] = Days.GetValueOrDefault(day) + 1;
            if (at >= LastUsedAt)
            {
                LastUsedAt = at;
                LastUsedFrom = clientAddress is { Length: > 64 } ? clientAddress[..64] : clientAddress;
            }
            if (viaPreviousSecret && (PreviousSecretLastUsedAt is null || at > PreviousSecretLastUsedAt)) PreviousSecretLastUsedAt = at;
        }

        /// <summary>This older usage merged with <paramref name="newer"/>, which was recorded after it.</summary>
        public PendingUsage FollowedBy(PendingUsage newer)
        {
            Count += newer.Count;
            FirstRecordedAt = Math.Min(FirstRecordedAt, newer.FirstRecordedAt);
            foreach (var (day, count) in newer.Days) Days[day] = Days.GetValueOrDefault(day) + count;
            if (newer.Count > 0 && newer.LastUsedAt >= LastUsedAt) (LastUsedAt, LastUsedFrom) = (newer.LastUsedAt, newer.LastUsedFrom);
            if (newer.PreviousSecretLastUsedAt is { } previous && !(PreviousSecretLastUsedAt >= previous)) PreviousSecretLastUsedAt = previous;
            return this;
        }
    }
}
