using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

/// <summary>The keys page while the workspace requires two-factor authentication of owners and admins.</summary>
public sealed class KeysPageTwoFactorTests : ComponentTestContext
{
    private const string TwoFactorPage = "Account/Manage/TwoFactorAuthentication";
    private static readonly string[] RowActions = ["Edit", "Rotate", "Revoke"];

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public async Task Without_two_factor_every_management_action_is_disabled_with_the_message_and_a_link_to_turn_it_on(string role)
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy", owner: Database.Member));
        await Database.RequireTwoFactorAsync();
        this.SignInAs(Database, Database.UserWithRole(role), role);
        var popovers = Render<MudPopoverProvider>();

        var page = RenderPage();

        page.WaitForElement("button[aria-label='Rotate ci-deploy']");
        var disabled = RowActions.Select(action => page.Find($"button[aria-label='{action} ci-deploy']")).Prepend(page.Button("Create API key")).ToList();
        Assert.All(disabled, button => Assert.True(button.IsDisabled(), button.OuterHtml));
        Assert.False(page.Find("button[aria-label='View ci-deploy']").IsDisabled());
        Assert.Null(page.Find("tr:has(button[aria-label='View ci-deploy'])").QuerySelector("input[type=checkbox]"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Revoke selected");
        foreach (var button in disabled)
        {
            button.Closest(".mud-tooltip-root")!.PointerEnter(new PointerEventArgs());
            popovers.WaitForAssertion(() => Assert.Contains(Permissions.ManageKeysWithoutTwoFactorRefusal, popovers.Markup));
            button.Closest(".mud-tooltip-root")!.PointerLeave(new PointerEventArgs());
            popovers.WaitForAssertion(() => Assert.DoesNotContain(Permissions.ManageKeysWithoutTwoFactorRefusal, popovers.Markup));
        }
        var notice = page.Find(".mud-alert[aria-label='Two-factor authentication required']");
        Assert.Contains("Turn on two-factor authentication to manage keys", notice.TextContent);
        Assert.Equal("Set up two-factor authentication", notice.QuerySelector($"a[href='{TwoFactorPage}']")!.TextContent.Trim());
        Assert.DoesNotContain(Permissions.Refusal(Permission.ManageKeys), page.Markup);
    }

    [Fact]
    public async Task With_two_factor_the_admin_manages_keys_and_sees_no_notice()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy", owner: Database.Member));
        await Database.RequireTwoFactorAsync();
        await Database.EnableTwoFactorAsync(Database.Admin);
        this.SignInAs(Database, Database.Admin, Roles.Admin);

        var page = RenderPage();

        page.WaitForElement("button[aria-label='Rotate ci-deploy']");
        Assert.False(page.Button("Create API key").IsDisabled());
        Assert.All(RowActions, action => Assert.False(page.Find($"button[aria-label='{action} ci-deploy']").IsDisabled(), action));
        Assert.DoesNotContain("Turn on two-factor authentication", page.Markup);
    }

    [Fact]
    public async Task A_member_is_told_what_members_are_told_not_to_turn_on_two_factor()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        await Database.RequireTwoFactorAsync();
        this.SignInAs(Database, Database.Member, Roles.Member);

        var page = RenderPage();

        page.WaitForElement("button[aria-label='Rotate ci-deploy']");
        Assert.Contains(page.FindAll(".mud-alert"), alert => alert.TextContent.Contains(Permissions.Refusal(Permission.ManageKeys)));
        Assert.DoesNotContain("two-factor", page.Markup);
    }

    [Fact]
    public async Task A_page_opened_before_the_requirement_was_turned_on_still_changes_nothing()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy", owner: Database.Member));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var provider = Render<MudDialogProvider>();
        var page = Render<KeysPage>();
        page.WaitForElement("button[aria-label='Edit ci-deploy']").Click();
        await Database.RequireTwoFactorAsync();

        provider.WaitForElement("form#edit-key-form");
        provider.Field("Name").Input("hijacked");
        provider.Find("form#edit-key-form").Submit();

        provider.WaitForAssertion(() => Assert.Contains(Permissions.ManageKeysWithoutTwoFactorRefusal, provider.Markup));
        Assert.Equal("ci-deploy", (await Database.KeyRowAsync(issued.Key.Id)).Name);
        Assert.Empty(await Database.AuditEntriesAsync(AuditActions.KeyEdited));
    }

    private IRenderedComponent<KeysPage> RenderPage()
    {
        Render<MudDialogProvider>();
        return Render<KeysPage>();
    }
}
