using System.Diagnostics.Metrics;
using KeyDashboard.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.TestSupport;

public static class TestMetrics
{
    /// <summary>The product's metrics on a meter factory of their own, for a component built without the app.</summary>
    public static KeyDashboardMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
