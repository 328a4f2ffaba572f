using Bunit;
using KeyDashboard.Components.Layout;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Components;

public sealed class NavMenuTests : ComponentTestContext
{
    [Fact]
    public void Links_to_the_api_keys_page()
    {
        this.SignInAs("user-1", "member@acme.test", Roles.Member, Guid.NewGuid(), "Acme");

        var menu = Render<NavMenu>();

        var link = menu.FindAll("a").Single(a => a.TextContent.Trim() == "API keys");
        Assert.Equal("", link.GetAttribute("href"));
        Assert.Equal("Main navigation", menu.Find("nav").GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData(Roles.Owner, true)]
    [InlineData(Roles.Admin, false)]
    [InlineData(Roles.Member, false)]
    public void Members_is_shown_to_everyone_and_settings_to_owners_only(string role, bool showsSettings)
    {
        this.SignInAs("user-1", "someone@acme.test", role, Guid.NewGuid(), "Acme");

        var menu = Render<NavMenu>();

        var links = menu.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Members", links);
        Assert.Equal(showsSettings, links.Contains("Settings"));
        Assert.Equal("members", menu.FindAll("a").Single(a => a.TextContent.Trim() == "Members").GetAttribute("href"));
    }
}
