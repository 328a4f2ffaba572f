using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// The workspace and role claims are read from the database on every request, not kept in the cookie.
/// (How they are derived is covered by <c>Workspaces/WorkspaceClaimsTests</c>.)
/// </summary>
public sealed class MembershipChangeTests(DemoAppFactory app) : IClassFixture<DemoAppFactory>
{
    [Fact]
    public async Task A_removed_membership_applies_on_the_next_request()
    {
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync("member@example.com");
        Assert.Contains("as a member of Demo,", await browser.GetStringAsync("/"));

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
            await db.Memberships.Where(m => m.User.Email == "member@example.com").ExecuteDeleteAsync();

        var home = await browser.GetStringAsync("/");
        Assert.Contains("You are not a member of any workspace yet.", home);
        Assert.DoesNotContain("as a member of Demo,", home);
    }
}
