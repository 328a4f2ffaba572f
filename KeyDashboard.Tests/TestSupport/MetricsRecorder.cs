using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using KeyDashboard.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>What one app records on the product's meter, by instrument and attributes: other apps of the test run are not heard.</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, string Attributes)> _measurements = new();

    public MetricsRecorder(IServiceProvider app)
    {
        var scope = app.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == KeyDashboardMetrics.MeterName && instrument.Meter.Scope == scope) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The sum of what <paramref name="instrument"/> recorded, with <paramref name="attribute"/> (<c>outcome=revoked</c>) when given.</summary>
    public double Sum(string instrument, string? attribute = null) =>
        _measurements.Where(m => m.Instrument == instrument && (attribute is null || m.Attributes.Contains(attribute))).Sum(m => m.Value);

    public IReadOnlyList<double> Values(string instrument) => _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value).ToList();

    /// <summary>Asks the observable instruments (the gauges) for their value now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var attributes = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
        _measurements.Enqueue((instrument.Name, value, attributes));
    }
}
