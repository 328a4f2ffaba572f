using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KeyDashboard.Tests.Components;

/// <summary>Escape, the backdrop and the X on the create, edit and invite forms: an untouched form closes, a filled one asks first.</summary>
public sealed class FormDialogTests : ComponentTestContext
{
    // As a phone's full-screen dialog may have it: an X that closes at once.
    private static readonly DialogOptions WithCloseButton = new() { CloseButton = true };

    public static TheoryData<string> Forms => ["create key", "edit key", "invite member", "create workspace"];

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Escape_on_an_untouched_form_closes_it_at_once(string form)
    {
        var (provider, dialog) = await OpenAsync(form);

        await EscapeAsync(provider);

        Assert.True((await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Canceled);
        Assert.DoesNotContain("Discard what you entered?", provider.Markup);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Escape_on_a_filled_form_asks_and_keep_editing_keeps_what_was_typed(string form)
    {
        var (provider, dialog) = await OpenAsync(form);
        Fill(provider, form);

        await EscapeAsync(provider);

        provider.WaitForAssertion(() => Assert.Contains("Discard what you entered?", provider.Markup));
        provider.Button("Keep editing").Click();
        provider.WaitForAssertion(() => Assert.Single(provider.FindAll(".mud-dialog")));
        Assert.False(dialog.Result.IsCompleted);
        Assert.Equal(Typed(form), provider.FindAll("input").First().GetAttribute("value"));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Escape_on_a_filled_form_then_discard_closes_it(string form)
    {
        var (provider, dialog) = await OpenAsync(form);
        Fill(provider, form);

        await EscapeAsync(provider);
        provider.WaitForAssertion(() => provider.Button("Discard"));
        provider.Button("Discard").Click();

        Assert.True((await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Canceled);
        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll(".mud-dialog")));
    }

    [Fact]
    public async Task Escape_in_the_question_itself_keeps_editing()
    {
        var (provider, dialog) = await OpenAsync("create key");
        Fill(provider, "create key");
        await EscapeAsync(provider);
        provider.WaitForAssertion(() => Assert.Contains("Discard what you entered?", provider.Markup));

        await provider.PressEscapeAsync();

        provider.WaitForAssertion(() => Assert.Single(provider.FindAll(".mud-dialog")));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task The_backdrop_and_the_X_ask_too()
    {
        var (provider, dialog) = await OpenAsync("create key");
        Fill(provider, "create key");

        provider.ClickBackdrop();
        provider.WaitForAssertion(() => provider.Button("Keep editing"));
        provider.Button("Keep editing").Click();
        provider.WaitForAssertion(() => Assert.Single(provider.FindAll(".mud-dialog")));
        provider.Find("button[aria-label='Close']").Click();
        provider.WaitForAssertion(() => provider.Button("Keep editing"));
        provider.Button("Keep editing").Click();

        provider.WaitForAssertion(() => Assert.Single(provider.FindAll(".mud-dialog")));
        Assert.Single(provider.FindAll("button[aria-label='Close']"));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Choosing_a_scope_alone_fills_the_create_form()
    {
        var (provider, dialog) = await OpenAsync("create key");
        provider.Find("input[aria-label='Read keys']").Change(true);

        await EscapeAsync(provider);

        provider.WaitForAssertion(() => Assert.Contains("Discard what you entered?", provider.Markup));
        Assert.False(dialog.Result.IsCompleted);
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync(string form)
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Render<MudPopoverProvider>();
        // As the app's layout has it: Escape closes a dialog that does not say otherwise.
        var provider = Render<MudDialogProvider>(ps => ps.Add(p => p.CloseOnEscapeKey, true));
        var dialogs = Services.GetRequiredService<IDialogService>();
        var key = form == "edit key" ? (await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm"))).Key : null;
        var dialog = await provider.InvokeAsync(() => form switch
        {
            "create key" => dialogs.ShowAsync<CreateKeyDialog>("", new DialogParameters<CreateKeyDialog>(), WithCloseButton),
            "edit key" => dialogs.ShowAsync<EditKeyDialog>("", new DialogParameters<EditKeyDialog> { { d => d.Key, key! } }, WithCloseButton),
            "invite member" => dialogs.ShowAsync<InviteMemberDialog>("", new DialogParameters<InviteMemberDialog>(), WithCloseButton),
            _ => dialogs.ShowAsync<CreateWorkspaceDialog>("",
                new DialogParameters<CreateWorkspaceDialog> { { d => d.Creator, Database.ActorFor(Database.Owner) } }, WithCloseButton),
        });
        provider.WaitForElement("form");
        provider.WaitForElement("input");
        return (provider, dialog);
    }

    /// <summary>Escape in the form's first field, where the dialog puts the focus: heard by MudBlazor's key interceptor and by the field.</summary>
    private static async Task EscapeAsync(IRenderedComponent<MudDialogProvider> provider)
    {
        await provider.PressEscapeAsync();
        // Not awaited: on a filled form the handler waits for the answer to its question, which the test gives next.
        _ = provider.FindAll(".mud-dialog input").First().KeyDownAsync(new KeyboardEventArgs { Key = "Escape", Code = "Escape", Type = "keydown" });
    }

    private static string Typed(string form) => form == "invite member" ? "new.person@acme.test" : "prod-main-app";

    private static void Fill(IRenderedComponent<MudDialogProvider> provider, string form) =>
        provider.FindAll("input").First().Input(Typed(form));
}
