using KeyDashboard.Data;
using KeyDashboard.Keys;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// bUnit context over a fresh <see cref="TestDatabase"/>, with the app's real services (key service, workspace
/// service, scope catalog, the database's fake clock) registered, never mocks.
/// </summary>
public abstract class DashboardComponentTestContext : ComponentTestContext
{
    protected DashboardComponentTestContext()
    {
        // The grid and the dialogs load from SQLite after rendering; a busy test run needs more than the default second.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }

    protected TestDatabase Database { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Services.AddSingleton<IDbContextFactory<AppDbContext>>(Database.Factory);
        Services.AddSingleton<TimeProvider>(Database.Clock);
        Services.AddSingleton(Database.Scopes);
        Services.AddSingleton(_ => Database.KeyService());
        Services.AddSingleton(_ => new WorkspaceService(Database.Factory));
        Services.AddSingleton(_ => Database.MembershipService());
        Services.AddSingleton(_ => Database.SettingsService());
        Services.AddSingleton(_ => new ApiKeyLookup(Database.Factory, Database.Format, Database.Hasher));
        Services.AddSingleton(_ => new KeyDetailsService(Database.Factory, Database.Clock));
        Services.AddSingleton(sp => new LeakedKeyFinder(Database.Factory, sp.GetRequiredService<ApiKeyLookup>(), Database.Clock));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await Database.DisposeAsync();
    }
}
