using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>
/// Base for bUnit tests of MudBlazor components: loose JS interop and MudBlazor's services. Disposed
/// asynchronously because some MudBlazor services are only <see cref="IAsyncDisposable"/>.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
