using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Workspaces;

/// <summary>
/// The workspace and role claims are read from the database on every request, not kept in the cookie.
/// (How they are derived is covered by <see cref="WorkspaceClaimsTests"/>.)
/// </summary>
public sealed class MembershipChangeTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    [Fact]
    public async Task A_removed_membership_applies_on_the_next_request()
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(app.World.Member.Email!);
        Assert.Contains("as a member of Acme,", await browser.GetStringAsync("/"));

        await using (var db = await app.DbFactory.CreateDbContextAsync())
            await db.Memberships.Where(m => m.UserId == app.World.Member.Id).ExecuteDeleteAsync();

        var home = await browser.GetStringAsync("/");
        Assert.Contains("You are not a member of any workspace yet.", home);
        Assert.DoesNotContain("as a member of Acme,", home);
    }
}
