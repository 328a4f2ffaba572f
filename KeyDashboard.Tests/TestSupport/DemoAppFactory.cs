namespace KeyDashboard.Tests.TestSupport;

/// <summary>The app with the demo workspaces and accounts, for a class fixture: <c>IClassFixture&lt;DemoAppFactory&gt;</c>.</summary>
public sealed class DemoAppFactory : KeyDashboardFactory
{
    public DemoAppFactory() => SeedDemoData = true;
}
