using System.Collections.Concurrent;
using KeyDashboard.Cluster;
using KeyDashboard.Telemetry;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Api.KeyAuthentication;

/// <summary>
/// Keys recently verified against the database, by secret hash, so an authenticated request normally costs no
/// database read. A published <see cref="WorkspaceChanges"/> drops the workspace's entries at once, and a lookup
/// that began before that change cannot put its stale answer back: <see cref="Add"/> refuses it. Entries also
/// age out after <see cref="Lifetime"/>, for changes made outside the app. With other instances, their changes arrive
/// through the change listener, and while it may be missing some (<see cref="InstanceLease"/>) no entry is trusted.
/// </summary>
public sealed class VerifiedKeyCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<SecretHash, Entry> _entries = new();
    // When each workspace last changed, on the sequence BeginLookup reads.
    private readonly ConcurrentDictionary<Guid, long> _changedAt = new();
    private readonly WorkspaceChanges _changes;
    private readonly InstanceLease _lease;
    private readonly KeyDashboardMetrics _metrics;
    private long _sequence;
    // When everything last changed at once, on the same sequence.
    private long _allChangedAt;

    public VerifiedKeyCache(WorkspaceChanges changes, InstanceLease lease, KeyDashboardMetrics metrics)
    {
        (_changes, _lease, _metrics) = (changes, lease, metrics);
        _changes.Changed += Forget;
        _changes.AnyMayHaveChanged += ForgetAll;
    }

    public bool TryGet(SecretHash secretHash, out VerifiedKey key)
    {
        if (_lease.CachesTrusted && _entries.TryGetValue(secretHash, out var entry)
            && Environment.TickCount64 - entry.AddedAt < Lifetime.TotalMilliseconds)
        {
            _metrics.CacheLookup(hit: true);
            key = entry.Key;
            return true;
        }
        _metrics.CacheLookup(hit: false);
        key = null!;
        return false;
    }

    /// <summary>Call before reading a key from the database; give the result to <see cref="Add"/>.</summary>
    public long BeginLookup() => Interlocked.Read(ref _sequence);

    /// <summary>Keeps the key unless its workspace changed after <paramref name="lookupBegan"/>.</summary>
    public void Add(SecretHash secretHash, VerifiedKey key, long lookupBegan)
    {
        if (ChangedSince(key.WorkspaceId, lookupBegan)) return;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        var entry = new Entry(key, Environment.TickCount64);
        _entries[secretHash] = entry;
        // A change published between the check above and the write may have swept the cache before this entry
        // was in it; look again now that it is, and take it back out. (Forget does the mirror image.)
        Interlocked.MemoryBarrier();
        if (ChangedSince(key.WorkspaceId, lookupBegan)) _entries.TryRemove(KeyValuePair.Create(secretHash, entry));
    }

    public void Remove(SecretHash secretHash) => _entries.TryRemove(secretHash, out _);

    public void Forget(Guid workspaceId)
    {
        var now = Interlocked.Increment(ref _sequence);
        _changedAt.AddOrUpdate(workspaceId, now, (_, earlier) => Math.Max(earlier, now));
        Interlocked.MemoryBarrier();
        foreach (var (secretHash, entry) in _entries)
            if (entry.Key.WorkspaceId == workspaceId) _entries.TryRemove(KeyValuePair.Create(secretHash, entry));
    }

    public void ForgetAll()
    {
        Volatile.Write(ref _allChangedAt, Interlocked.Increment(ref _sequence));
        Interlocked.MemoryBarrier();
        _entries.Clear();
    }

    public void Dispose()
    {
        _changes.Changed -= Forget;
        _changes.AnyMayHaveChanged -= ForgetAll;
    }

    private bool ChangedSince(Guid workspaceId, long sequence) =>
        Volatile.Read(ref _allChangedAt) > sequence || (_changedAt.TryGetValue(workspaceId, out var at) && at > sequence);

    private sealed record Entry(VerifiedKey Key, long AddedAt);
}
