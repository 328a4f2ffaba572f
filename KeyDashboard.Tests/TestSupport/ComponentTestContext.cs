using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Base for bUnit tests: loose JS interop, MudBlazor's services, and a fresh <see cref="TestDatabase"/> whose real
/// services (key, workspace, membership, audit, the database's fake clock; never mocks) the components get. Disposed
/// asynchronously because some MudBlazor services are only <see cref="IAsyncDisposable"/>.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        ScreenWidth(1440);
        // The grid and the dialogs load from SQLite after rendering; a busy test run needs more than the default second.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        // MudBlazor registers the system clock; a test class may still register a clock of its own after this one.
        Services.AddSingleton<TimeProvider>(_ => Database.Clock);
    }

    protected TestDatabase Database { get; private set; } = null!;

    /// <summary>The width MudBlazor's viewport service reads from the "browser" (a laptop's unless a test says otherwise).</summary>
    protected void ScreenWidth(int width) =>
        JSInterop.Setup<BrowserWindowSize>("mudResizeListener.getBrowserWindowSize").SetResult(new BrowserWindowSize { Width = width, Height = 900 });

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Services.AddFallbackServiceProvider(Database.Services);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
