using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

/// <summary>A key's actions answer: a snackbar once done, and a reason, on hover and for screen readers, when disabled.</summary>
public sealed class KeyActionsAnswersTests : ComponentTestContext
{
    private IRenderedComponent<MudPopoverProvider> popovers = null!;

    [Fact]
    public async Task Revoking_says_the_key_is_revoked()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, dialogs, snackbars) = RenderPage(key.Key.Id);

        page.WaitForElement("button[aria-label='Revoke prod-main-app']").Click();
        dialogs.WaitForElement("ul li");
        dialogs.Button("Revoke").Click();

        snackbars.WaitForAssertion(() => Assert.Equal("prod-main-app revoked", snackbars.Find(".mud-snackbar-content-message").TextContent.Trim()));
    }

    [Fact]
    public async Task Rotating_says_the_key_is_rotated_once_the_new_secret_is_stored()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app", owner: Database.Admin));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, dialogs, snackbars) = RenderPage(key.Key.Id);

        page.WaitForElement("button[aria-label='Rotate prod-main-app']").Click();
        dialogs.WaitForElement("label.mud-radio");
        dialogs.Button("Rotate").Click();
        dialogs.WaitForElement("code.copyable-value");
        Assert.Empty(snackbars.FindAll(".mud-snackbar"));
        dialogs.Choice("I have stored this key securely").Change(true);
        dialogs.Button("Done").Click();

        snackbars.WaitForAssertion(() => Assert.Equal("prod-main-app rotated", snackbars.Find(".mud-snackbar-content-message").TextContent.Trim()));
    }

    [Fact]
    public async Task An_expired_key_cannot_be_rotated_and_says_why()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app"));
        await Database.UpdateKeyRowAsync(key.Key.Id, k => k.ExpiresAt = Database.Clock.GetUtcNow().AddDays(-1));
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (page, _, _) = RenderPage(key.Key.Id);

        page.WaitForElement("button[aria-label='Rotate prod-main-app']");
        Assert.Equal(KeyStateRefusals.RotateExpired, Reason(page, "Rotate"));
        Assert.Equal("An expired key cannot be rotated. Create a new key instead.", Reason(page, "Rotate"));
        Assert.Null(Reason(page, "Edit"));
        Assert.Null(Reason(page, "Revoke"));
    }

    [Fact]
    public async Task A_revoked_key_says_why_each_action_is_disabled()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app"));
        await Database.KeyService().RevokeAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, key.Key.Id, "Leaked");
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (page, _, _) = RenderPage(key.Key.Id);

        page.WaitForElement("button[aria-label='Rotate prod-main-app']");
        Assert.Equal(KeyStateRefusals.EditRevoked, Reason(page, "Edit"));
        Assert.Equal(KeyStateRefusals.RotateRevoked, Reason(page, "Rotate"));
        Assert.Equal(KeyStateRefusals.RevokeRevoked, Reason(page, "Revoke"));
    }

    [Fact]
    public async Task A_member_is_told_the_role_rule_on_hover_and_by_the_buttons_description()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app"));
        this.SignInAs(Database, Database.Member, Roles.Member);

        var (page, _, _) = RenderPage(key.Key.Id);

        var rotate = page.WaitForElement("button[aria-label='Rotate prod-main-app']");
        var refusal = Permissions.Refusal(Permission.ManageKeys);
        Assert.All(new[] { "Edit", "Rotate", "Revoke" }, action => Assert.Equal(refusal, Reason(page, action)));
        rotate.Closest(".mud-tooltip-root")!.PointerEnter(new Microsoft.AspNetCore.Components.Web.PointerEventArgs());
        popovers.WaitForAssertion(() => Assert.Contains(refusal, popovers.Markup));
    }

    /// <summary>The reason a disabled action gives through its aria-describedby; null for an enabled action (it then describes nothing).</summary>
    private static string? Reason(IRenderedComponent<KeyDetailsPage> page, string action)
    {
        var button = page.Find($"button[aria-label='{action} prod-main-app']");
        var description = button.GetAttribute("aria-describedby") is { } id ? page.Find($"#{id}").TextContent.Trim() : null;
        Assert.Equal(description is { Length: > 0 }, button.IsDisabled());
        return description;
    }

    private (IRenderedComponent<KeyDetailsPage>, IRenderedComponent<MudDialogProvider>, IRenderedComponent<MudSnackbarProvider>) RenderPage(string keyId)
    {
        popovers = Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var snackbars = Render<MudSnackbarProvider>();
        return (Render<KeyDetailsPage>(ps => ps.Add(p => p.KeyId, keyId)), dialogs, snackbars);
    }
}
