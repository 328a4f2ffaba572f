using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KeyDashboard.Tests.TestSupport;

/// <summary>Opens a dialog the way the app does: through <see cref="IDialogService"/>, into a rendered provider.</summary>
public static class BunitDialogs
{
    /// <summary>
    /// Renders the popover and dialog providers, shows <typeparamref name="TDialog"/> and returns the dialog provider,
    /// whose markup holds the dialog, with the reference whose <see cref="IDialogReference.Result"/> tells how it closed.
    /// </summary>
    public static async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenDialogAsync<TDialog>(
        this BunitContext context, DialogParameters<TDialog> parameters, DialogOptions? options = null, string title = "")
        where TDialog : IComponent
    {
        context.Render<MudPopoverProvider>();
        var provider = context.Render<MudDialogProvider>();
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        var dialog = await provider.InvokeAsync(() => dialogs.ShowAsync<TDialog>(title, parameters, options ?? new DialogOptions()));
        return (provider, dialog);
    }

    /// <summary>
    /// Does what MudBlazor's key interceptor script does when Escape is pressed in the topmost dialog: calls the service's
    /// JS-invokable OnKeyDown (internal to MudBlazor, hence reflection) with the dialog container's id.
    /// </summary>
    public static Task PressEscapeAsync(this IRenderedComponent<MudDialogProvider> provider)
    {
        var interceptor = provider.Services.GetRequiredService<IKeyInterceptorService>();
        var onKeyDown = interceptor.GetType().GetMethod("OnKeyDown")!;
        var container = provider.FindAll(".mud-dialog-container")[^1].Id!;
        var escape = new KeyboardEventArgs { Key = "Escape", Code = "Escape", Type = "keydown" };
        return provider.InvokeAsync(() => (Task)onKeyDown.Invoke(interceptor, [container, escape])!);
    }

    /// <summary>Clicks beside the topmost dialog, on its backdrop.</summary>
    public static void ClickBackdrop(this IRenderedComponent<MudDialogProvider> provider) =>
        provider.FindAll(".mud-dialog-container")[^1].QuerySelector(".mud-overlay")!.Click();
}
