using KeyDashboard.Data;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>An open dashboard page follows a membership change at once, with no reload by its user.</summary>
public sealed class MembershipChangeSessionTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task A_removed_member_loses_the_workspace_in_their_open_session()
    {
        var page = await Server.SignInAsync("member@example.com");
        await Assertions.Expect(page.GetByText("as a member of Demo,")).ToBeVisibleAsync();

        await ChangeMembershipAsync(async (service, owner, workspaceId, userId) =>
            await service.RemoveAsync(owner, workspaceId, userId), "member@example.com");

        await Assertions.Expect(page.GetByText("You are not a member of any workspace yet.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("code.key-prefix")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task A_demoted_admin_loses_the_actions_in_their_open_page()
    {
        var page = await Server.SignInAsync("admin@example.com");
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create API key" });
        await Assertions.Expect(create).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke prod-main-app" })).ToBeEnabledAsync();

        await ChangeMembershipAsync(async (service, owner, workspaceId, userId) =>
            await service.ChangeRoleAsync(owner, workspaceId, userId, Roles.Member), "admin@example.com");

        await Assertions.Expect(create).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke prod-main-app" })).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByText("as a member of Demo,")).ToBeVisibleAsync();
    }

    /// <summary>The owner changes <paramref name="email"/>'s membership of Demo through the service, as the members page does.</summary>
    private async Task ChangeMembershipAsync(Func<MembershipService, Actor, Guid, string, Task<OperationResult<MemberSummary>>> change, string email)
    {
        var owner = await Server.UserAsync("owner@example.com");
        var user = await Server.UserAsync(email);
        var workspace = await Server.WorkspaceAsync("Demo");
        await using var scope = Server.Services.CreateAsyncScope();
        var result = await change(scope.ServiceProvider.GetRequiredService<MembershipService>(), Server.ActorFor(owner), workspace.Id, user.Id);
        Assert.True(result.Succeeded, result.Message);
    }
}
