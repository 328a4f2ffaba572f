using KeyDashboard.Components.Shared;
using System.Reflection;
using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class RevealKeyDialogTests : ComponentTestContext
{
    [Fact]
    public async Task Shows_the_key_and_its_id_once_with_a_warning()
    {
        var issued = await Database.CreateKeyAsync();

        var (dialog, _) = Show(issued);

        var values = dialog.FindAll("code.copyable-value").Select(c => c.TextContent).ToList();
        Assert.Equal([issued.Secret, issued.Key.Id], values);
        Assert.Contains("This is the only time the full key is shown", dialog.Markup);
        Assert.Contains("API key created", dialog.Find(".mud-dialog-title").TextContent);
        Assert.Equal("", dialog.FindComponent<RevealKeyDialog>().Instance.Secret);
    }

    [Fact]
    public async Task Done_is_enabled_only_once_the_key_is_stored()
    {
        var (dialog, _) = Show(await Database.CreateKeyAsync());
        Assert.True(dialog.Button("Done").IsDisabled());

        dialog.Choice("I have stored this key securely").Change(true);

        Assert.False(dialog.Button("Done").IsDisabled());
    }

    [Fact]
    public async Task After_done_the_dialog_and_the_secret_are_gone()
    {
        var issued = await Database.CreateKeyAsync();
        var (dialog, showing) = Show(issued);
        var reveal = dialog.FindComponent<RevealKeyDialog>().Instance;
        Assert.Contains(issued.Secret, StringsHeldBy(reveal));
        dialog.Choice("I have stored this key securely").Change(true);

        dialog.Button("Done").Click();

        await showing.WaitAsync(TimeSpan.FromSeconds(10));
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll(".mud-dialog")));
        Assert.Empty(dialog.FindComponents<RevealKeyDialog>());
        Assert.DoesNotContain(issued.Secret, dialog.Markup);
        Assert.DoesNotContain(issued.Secret[12..], dialog.Markup);
        Assert.DoesNotContain(issued.Secret, StringsHeldBy(reveal));
    }

    [Fact]
    public async Task Neither_escape_nor_a_backdrop_click_closes_it()
    {
        var (dialog, showing) = Show(await Database.CreateKeyAsync());
        var options = dialog.FindComponent<MudDialogContainer>().Instance.GetState(c => c.Options);
        Assert.False(options.BackdropClick);
        Assert.False(options.CloseOnEscapeKey);
        Assert.False(options.CloseButton);

        dialog.Find(".mud-overlay").Click();
        await PressEscapeAsync(dialog);

        Assert.Single(dialog.FindAll(".mud-dialog"));
        Assert.False(showing.IsCompleted);
    }

    [Theory]
    [InlineData("Escape")]
    [InlineData("Backdrop")]
    public async Task The_same_escape_and_backdrop_click_do_close_an_ordinary_dialog(string gesture)
    {
        // Guards the test above: if MudBlazor stopped reacting to these simulated gestures, it would pass for nothing.
        var issued = await Database.CreateKeyAsync();
        var (dialog, reference) = await this.OpenDialogAsync(new DialogParameters<KeyCredentialsDialog> { { d => d.Key, issued.Key } },
            new DialogOptions { CloseOnEscapeKey = true, BackdropClick = true });
        dialog.WaitForElement(".mud-dialog");

        if (gesture == "Escape") await PressEscapeAsync(dialog);
        else dialog.Find(".mud-overlay").Click();

        Assert.True((await reference.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Canceled);
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll(".mud-dialog")));
    }

    [Fact]
    public async Task Copy_puts_the_key_on_the_clipboard_and_says_so()
    {
        var issued = await Database.CreateKeyAsync();
        var snackbars = Render<MudSnackbarProvider>();
        var (dialog, _) = Show(issued);

        var copy = CopyableValueInterop.Copying(JSInterop, "copied");
        dialog.Find("button[aria-label='Copy API key']").Click();

        Assert.Equal(issued.Secret, copy.VerifyInvoke("copy").Arguments[1]);
        snackbars.WaitForAssertion(() => Assert.Contains("API key copied to the clipboard", snackbars.Markup));
    }

    [Theory]
    [InlineData("selected", CopyableValue.SelectedHint)]
    [InlineData(null, CopyableValue.CopyYourselfHint)]
    public async Task A_copy_the_browser_refuses_leaves_the_reveal_open_and_says_how_to_copy(string? outcome, string hint)
    {
        var issued = await Database.CreateKeyAsync();
        var (dialog, closed) = Show(issued);
        var copy = CopyableValueInterop.Copying(JSInterop, outcome);

        dialog.Find("button[aria-label='Copy API key']").Click();

        dialog.WaitForAssertion(() => Assert.Contains(hint, dialog.Markup));
        Assert.Contains(issued.Secret, dialog.Find("code.copyable-value").TextContent);
        Assert.False(closed.IsCompleted);
    }

    /// <summary>Shows the reveal as the app does, through <see cref="RevealKeyDialog.ShowAsync"/>; the task ends when it closes.</summary>
    private (IRenderedComponent<MudDialogProvider>, Task) Show(IssuedKey issued)
    {
        Render<MudPopoverProvider>();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var showing = provider.InvokeAsync(() => RevealKeyDialog.ShowAsync(dialogs, issued, "API key created"));
        provider.WaitForElement(".mud-dialog");
        return (provider, showing);
    }

    /// <summary>Every string the component instance keeps in a field, whatever the field is called.</summary>
    private static List<string?> StringsHeldBy(RevealKeyDialog reveal) =>
        reveal.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(string)).Select(f => (string?)f.GetValue(reveal)).ToList();

    /// <summary>
    /// Does what MudBlazor's key interceptor script does when Escape is pressed in the dialog: calls the service's
    /// JS-invokable OnKeyDown (internal to MudBlazor, hence reflection) with the dialog container's id. The same call
    /// closes a dialog shown with <c>CloseOnEscapeKey = true</c>.
    /// </summary>
    private static Task PressEscapeAsync(IRenderedComponent<MudDialogProvider> provider)
    {
        var interceptor = provider.Services.GetRequiredService<IKeyInterceptorService>();
        var onKeyDown = interceptor.GetType().GetMethod("OnKeyDown")!;
        var container = provider.Find(".mud-dialog-container").Id!;
        var escape = new KeyboardEventArgs { Key = "Escape", Code = "Escape", Type = "keydown" };
        return provider.InvokeAsync(() => (Task)onKeyDown.Invoke(interceptor, [container, escape])!);
    }
}
