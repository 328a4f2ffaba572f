using Bunit;
using KeyDashboard.Components.Layout;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.AuditLog;

public sealed class AuditLogNavEntryTests : ComponentTestContext
{
    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public void Owners_and_admins_find_the_audit_log_in_the_navigation(string role)
    {
        this.SignInAs("user-1", "someone@acme.test", role, Guid.NewGuid(), "Acme");

        var menu = Render<NavMenu>();

        var link = menu.FindAll("a").Single(a => a.TextContent.Trim() == "Audit log");
        Assert.Equal("audit", link.GetAttribute("href"));
    }

    [Fact]
    public void Members_do_not()
    {
        this.SignInAs("user-1", "member@acme.test", Roles.Member, Guid.NewGuid(), "Acme");

        var menu = Render<NavMenu>();

        Assert.DoesNotContain(menu.FindAll("a"), a => a.TextContent.Trim() == "Audit log");
    }
}
