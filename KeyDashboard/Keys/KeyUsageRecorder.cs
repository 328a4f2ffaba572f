using System.Runtime.InteropServices;
using KeyDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace KeyDashboard.Keys;

/// <summary>
/// Counts key usage in memory and writes it in batches, so an API request never waits for a database write.
/// The counts are exact for a single app instance: every recorded use is written once, by <see cref="FlushAsync"/>
/// (every second, and on shutdown, by <see cref="KeyUsageFlusher"/>); a failed flush keeps its counts for the next.
/// </summary>
public sealed class KeyUsageRecorder(IDbContextFactory<AppDbContext> dbFactory, ILogger<KeyUsageRecorder> logger)
{
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
        }
        finally
        {
            _flushing.Release();
        }
    }

    // Never cancelled: a flush interrupted after its commit would be counted again from the pending copy.
    private async Task WriteAsync(Dictionary<string, PendingUsage> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var (keyId, usage) in batch)
        {
            // ExecuteUpdate leaves the ConcurrencyStamp alone: usage never conflicts with a rotation or revocation.
            var updated = await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(set =>
            {
                set.SetProperty(k => k.UsageCount, k => k.UsageCount + usage.Count);
                set.SetProperty(k => k.LastUsedAt, usage.LastUsedAt);
                set.SetProperty(k => k.LastUsedFrom, usage.LastUsedFrom);
                if (usage.PreviousSecretLastUsedAt is { } previous) set.SetProperty(k => k.PreviousSecretLastUsedAt, previous);
            });
            if (updated == 0) continue; // the key is gone (its workspace was deleted): nothing left to count for

            foreach (var (day, count) in usage.Days)
            {
                var days = await db.KeyUsageDays.Where(u => u.ApiKeyId == keyId && u.Day == day)
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.Count, u => u.Count + count));
                if (days == 0) db.KeyUsageDays.Add(new KeyUsageDay { ApiKeyId = keyId, Day = day, Count = count });
            }
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private sealed class PendingUsage
    {
        public long Count { get; private set; }
        public Dictionary<DateOnly, long> Days { get; } = [];
        public DateTimeOffset LastUsedAt { get; private set; }
        public string? LastUsedFrom { get; private set; }
        public DateTimeOffset? PreviousSecretLastUsedAt { get; private set; }

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
            foreach (var (day, count) in newer.Days) Days[day] = Days.GetValueOrDefault(day) + count;
            if (newer.Count > 0 && newer.LastUsedAt >= LastUsedAt) (LastUsedAt, LastUsedFrom) = (newer.LastUsedAt, newer.LastUsedFrom);
            if (newer.PreviousSecretLastUsedAt is { } previous && !(PreviousSecretLastUsedAt >= previous)) PreviousSecretLastUsedAt = previous;
            return this;
        }
    }
}
