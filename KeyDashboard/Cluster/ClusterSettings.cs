namespace KeyDashboard.Cluster;

/// <summary>The <c>KeyDashboard:Cluster</c> section: how instances over one PostgreSQL database keep each other honest.</summary>
public sealed class ClusterSettings
{
    /// <summary>
    /// How long an instance's word lasts: one whose change listener has not reached the database for this long stops
    /// trusting its caches, and a revoke stops waiting for it. Longer rides out slower hiccups; shorter bounds how long
    /// a revoke can wait for a silent instance.
    /// </summary>
    public double LeaseSeconds { get; set; } = 2;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
