using Bunit;
using KeyDashboard.Components.Layout;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Components;

public sealed class NavMenuTests : ComponentTestContext
{
    [Fact]
    public void Links_to_the_api_keys_page()
    {
        AddAuthorization().SetAuthorized("member@acme.test");
        var menu = Render<NavMenu>();

        var link = menu.FindAll("a").Single(a => a.TextContent.Trim() == "API keys");
        Assert.Equal("", link.GetAttribute("href"));
        Assert.Equal("Main navigation", menu.Find("nav").GetAttribute("aria-label"));
    }
}
