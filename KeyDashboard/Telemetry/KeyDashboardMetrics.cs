using System.Diagnostics.Metrics;
using KeyDashboard.Api.KeyAuthentication;

namespace KeyDashboard.Telemetry;

/// <summary>The product's own metrics, on the <c>KeyDashboard</c> meter, beside ASP.NET Core's, the HTTP client's and the runtime's.</summary>
public sealed class KeyDashboardMetrics
{
    public const string MeterName = "KeyDashboard";

    private readonly Counter<long> _verifications;
    private readonly Counter<long> _cacheLookups;
    private readonly Histogram<long> _flushSize;
    private readonly Histogram<double> _flushLag;
    private readonly Histogram<double> _invalidationLag;
    private int _instancesAlive;

    public KeyDashboardMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _verifications = meter.CreateCounter<long>("keydashboard.key.verifications", "{verification}",
            "Presented API keys checked, by outcome: accepted, or why refused.");
        _cacheLookups = meter.CreateCounter<long>("keydashboard.key_cache.lookups", "{lookup}",
            "Verified-key cache lookups, by result: hit, or miss (a database read follows).");
        _flushSize = meter.CreateHistogram<long>("keydashboard.usage.flush.size", "{request}",
            "Requests counted by one usage batch written to the database.");
        _flushLag = meter.CreateHistogram<double>("keydashboard.usage.flush.lag", "s",
            "How long the oldest request of a usage batch waited for the batch to be written.");
        _invalidationLag = meter.CreateHistogram<double>("keydashboard.invalidation.lag", "s",
            "From a change's commit until every live instance has acknowledged it.");
        meter.CreateObservableGauge("keydashboard.instances.alive", () => Volatile.Read(ref _instancesAlive), "{instance}",
            "Instances whose lease has not run out, as this one last counted them.");
    }

    public void Verified(KeyRefusal? refusal) =>
        _verifications.Add(1, new KeyValuePair<string, object?>("outcome", refusal switch
        {
            null => "accepted",
            KeyRefusal.Missing => "missing",
            KeyRefusal.Malformed => "malformed",
            KeyRefusal.Unknown => "unknown",
            KeyRefusal.Expired => "expired",
            KeyRefusal.Revoked => "revoked",
            KeyRefusal.RotatedSecretEnded => "rotated_secret_ended",
            KeyRefusal.OwnerNotMember => "owner_not_member",
            KeyRefusal.PlanUpgradeRequired => "plan_upgrade_required",
            _ => "other",
        }));

    public void CacheLookup(bool hit) => _cacheLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void UsageFlushed(long requests, TimeSpan oldestWaited)
    {
        _flushSize.Record(requests);
        _flushLag.Record(oldestWaited.TotalSeconds);
    }

    public void InvalidationLag(TimeSpan lag) => _invalidationLag.Record(lag.TotalSeconds);

    public void InstancesAlive(int count) => Volatile.Write(ref _instancesAlive, count);
}
