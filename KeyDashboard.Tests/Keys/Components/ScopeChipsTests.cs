using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class ScopeChipsTests : ComponentTestContext
{
    [Fact]
    public void Two_scopes_are_shown_in_full()
    {
        var chips = Render<ScopeChips>(ps => ps.Add(c => c.Scopes, ["keys:read", "members:read"]));

        Assert.Equal(["keys:read", "members:read"], Chips(chips));
        Assert.Empty(chips.FindAll("button"));
    }

    [Fact]
    public void More_than_two_collapse_behind_a_more_button_that_expands_them()
    {
        string[] scopes = ["audit:read", "keys:read", "keys:write", "members:read", "usage:read"];
        var chips = Render<ScopeChips>(ps => ps.Add(c => c.Scopes, scopes));
        Assert.Equal(["audit:read", "keys:read"], Chips(chips));
        Assert.Equal("+3 more", chips.Find("button").TextContent.Trim());
        Assert.Equal("+3 more: show all 5 scopes", chips.Find("button").GetAttribute("aria-label"));

        chips.Find("button").Click();

        Assert.Equal(scopes, Chips(chips));
        Assert.Equal("Show fewer", chips.Find("button").TextContent.Trim());

        chips.Find("button").Click();

        Assert.Equal(2, Chips(chips).Count);
    }

    private static List<string> Chips(IRenderedComponent<ScopeChips> chips) =>
        chips.FindAll(".mud-chip").Select(c => c.TextContent.Trim()).ToList();
}
