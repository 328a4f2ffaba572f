using Bunit;
using KeyDashboard.Components.Layout;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Components;

public sealed class UserMenuTests : ComponentTestContext
{
    [Fact]
    public void Says_who_is_signed_in_and_offers_account_and_log_out()
    {
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var popovers = Render<MudPopoverProvider>();
        var menu = Render<UserMenu>();

        menu.Find("button[aria-label='User menu']").Click();

        Assert.Contains("Signed in as admin@acme.test", popovers.Markup);
        Assert.Equal("Account/Manage", popovers.Find("a.mud-menu-item").GetAttribute("href"));
        var logout = popovers.Find("form[action='Account/Logout']");
        Assert.Equal("post", logout.GetAttribute("method"));
        Assert.Contains("Log out", logout.QuerySelector("button[type=submit]")!.TextContent);
    }

    [Fact]
    public void Shows_nothing_to_someone_signed_out()
    {
        AddAuthorization().SetNotAuthorized();

        var menu = Render<UserMenu>();

        Assert.Empty(menu.FindAll("button"));
    }
}
