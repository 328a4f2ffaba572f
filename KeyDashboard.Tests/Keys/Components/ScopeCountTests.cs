using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class ScopeCountTests : ComponentTestContext
{
    [Fact]
    public void Shows_the_count_and_lists_every_scope_when_asked()
    {
        var popovers = Render<MudPopoverProvider>();
        var count = Render<ScopeCount>(ps => ps.Add(c => c.Scopes, ["keys:read", "members:read", "usage:read"]).Add(c => c.KeyName, "ci-deploy"));

        var button = count.Find("button");
        Assert.Equal("3 scopes", button.TextContent.Trim());
        Assert.Equal("3 scopes of ci-deploy", button.GetAttribute("aria-label"));
        Assert.Equal("false", button.GetAttribute("aria-expanded"));
        Assert.Empty(popovers.FindAll(".mud-chip"));

        button.Click();

        Assert.Equal("true", count.Find("button").GetAttribute("aria-expanded"));
        popovers.WaitForAssertion(() =>
            Assert.Equal(["keys:read", "members:read", "usage:read"], popovers.FindAll(".mud-chip").Select(c => c.TextContent.Trim())));
    }

    [Fact]
    public void One_scope_reads_in_the_singular()
    {
        var count = Render<ScopeCount>(ps => ps.Add(c => c.Scopes, ["keys:read"]).Add(c => c.KeyName, "ci-deploy"));

        Assert.Equal("1 scope", count.Find("button").TextContent.Trim());
    }
}
