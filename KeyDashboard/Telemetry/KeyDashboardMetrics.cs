using System.Diagnostics.Metrics;

namespace KeyDashboard.Telemetry;

/// <summary>
/// The product's own measurements, on the meter <see cref="MeterName"/> that OpenTelemetry exports beside ASP.NET
/// Core's and the runtime's: key verifications by outcome, the verified-key cache, usage flushes, and how long every
/// instance takes to acknowledge a change that narrows a key.
/// </summary>
public sealed class KeyDashboardMetrics : IDisposable
{
    public const string MeterName = "KeyDashboard";

    private readonly Meter _meter;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _cacheLookups;
    private readonly Histogram<double> _flushLag;
    private readonly Histogram<long> _flushSize;
    private readonly Histogram<double> _invalidationLag;
    private Func<int>? _instancesAlive;

    public KeyDashboardMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _verifications = _meter.CreateCounter<long>("keydashboard.key.verifications", description: "API keys presented, by outcome.");
        _cacheLookups = _meter.CreateCounter<long>("keydashboard.key.cache.lookups", description: "Verified-key cache lookups, by result (hit or miss).");
        _flushLag = _meter.CreateHistogram<double>("keydashboard.usage.flush.lag", "s", "Age of the oldest use a usage flush wrote.");
        _flushSize = _meter.CreateHistogram<long>("keydashboard.usage.flush.size", "{use}", "Uses a usage flush wrote.");
        _invalidationLag = _meter.CreateHistogram<double>("keydashboard.invalidation.lag", "s",
            "From a narrowing change's commit (its NOTIFY) to the acknowledgement of every live instance.");
        _meter.CreateObservableGauge("keydashboard.instances.alive", () => _instancesAlive?.Invoke() ?? 1, "{instance}",
            "App instances holding a live lease on the shared database.");
    }

    /// <param name="outcome">valid, unknown, revoked, expired, …: the reason a refused key gets.</param>
    public void KeyVerified(string outcome) => _verifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void CacheLookup(bool hit) => _cacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void UsageFlushed(long uses, TimeSpan oldestWaited)
    {
        _flushSize.Record(uses);
        _flushLag.Record(oldestWaited.TotalSeconds);
    }

    public void InvalidationAcknowledged(TimeSpan lag) => _invalidationLag.Record(lag.TotalSeconds);

    /// <summary>Where the instances gauge reads from: the cluster membership, once it runs.</summary>
    public void CountInstancesWith(Func<int> instancesAlive) => _instancesAlive = instancesAlive;

    public void Dispose() => _meter.Dispose();
}
