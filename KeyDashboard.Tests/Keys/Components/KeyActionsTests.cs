using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

/// <summary>The keys page's actions end to end: dialog, service, reveal, and the reloaded row.</summary>
public sealed class KeyActionsTests : ComponentTestContext
{
    [Fact]
    public async Task Creating_from_the_page_reveals_the_key_once_then_lists_its_prefix()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (page, dialogs) = RenderPage();
        page.WaitForAssertion(() => Assert.Contains("No API keys yet", page.Markup));

        page.Button("Create API key").Click();
        dialogs.WaitForElement("form#create-key-form");
        dialogs.Field("Name").Input("prod-main-app");
        dialogs.Find("input[aria-label='Read keys']").Change(true);
        dialogs.Find("form#create-key-form").Submit();
        var secret = dialogs.WaitForElement("code.copyable-value").TextContent;
        dialogs.Choice("I have stored this key securely").Change(true);
        dialogs.Button("Done").Click();

        var row = page.WaitForElement("tr:has(button[aria-label='View prod-main-app'])");
        Assert.Contains(secret[..12], row.QuerySelector("code.key-prefix")!.TextContent);
        Assert.StartsWith("kd_test_", secret);
        Assert.Empty(dialogs.FindAll(".mud-dialog"));
        Assert.DoesNotContain(secret, page.Markup + dialogs.Markup);
    }

    [Fact]
    public async Task Rotating_from_the_page_shows_the_old_secrets_deadline_in_the_row()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy", owner: Database.Admin));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, dialogs) = RenderPage();

        page.WaitForElement("button[aria-label='Rotate ci-deploy']").Click();
        dialogs.WaitForElement("label.mud-radio");
        dialogs.Choice("1 hour").Click();
        dialogs.Button("Rotate").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("API key rotated", dialogs.Markup));
        var secret = dialogs.Find("code.copyable-value").TextContent;
        dialogs.Choice("I have stored this key securely").Change(true);
        dialogs.Button("Done").Click();

        page.WaitForAssertion(() => Assert.Contains("old secret valid until", Row(page, "ci-deploy").TextContent));
        Assert.Contains(secret[..12], Row(page, "ci-deploy").TextContent);
        Assert.DoesNotContain(issued.Key.DisplayPrefix, page.Markup);
        Assert.DoesNotContain(secret, page.Markup + dialogs.Markup);
    }

    [Fact]
    public async Task Revoking_from_the_page_removes_the_key_from_the_list()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-integration"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, dialogs) = RenderPage();

        page.WaitForElement("button[aria-label='Revoke ci-deploy']").Click();
        dialogs.WaitForElement("ul li");
        dialogs.Button("Revoke").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("button[aria-label='View ci-deploy']")));
        Assert.Single(page.FindAll("button[aria-label='View crm-integration']"));
    }

    private (IRenderedComponent<KeysPage>, IRenderedComponent<MudDialogProvider>) RenderPage()
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        return (Render<KeysPage>(), dialogs);
    }

    private static IElement Row(IRenderedComponent<KeysPage> page, string name) =>
        page.Find($"tr:has(button[aria-label='View {name}'])");
}
