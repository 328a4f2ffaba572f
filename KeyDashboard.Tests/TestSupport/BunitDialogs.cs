using Bunit;
using Microsoft.AspNetCore.Components;
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
}
