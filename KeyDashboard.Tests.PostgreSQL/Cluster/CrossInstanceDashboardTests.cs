using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Cluster;

/// <summary>An open dashboard page on one instance follows a membership change made on another, with no reload.</summary>
public sealed class CrossInstanceDashboardTests
{
    [BrowserFact]
    public async Task An_admin_demoted_on_A_loses_the_actions_in_their_page_open_on_B()
    {
        await using var cluster = ThreeInstances.Start();
        var world = cluster.A.World;
        await cluster.A.CreateKeyAsync(WorldKeys.KeyRequest("deploy-bot"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = cluster.B.BaseAddress.ToString() });
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(world.Admin.Email!);
        await page.GetByLabel("Password").FillAsync(TestWorld.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.Locator("code.key-prefix").First.WaitForAsync();
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create API key" });
        await Assertions.Expect(create).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke deploy-bot" })).ToBeEnabledAsync();

        await using (var scope = cluster.A.Services.CreateAsyncScope())
        {
            var demoted = await scope.ServiceProvider.GetRequiredService<MembershipService>()
                .ChangeRoleAsync(cluster.A.ActorFor(world.Owner), world.Workspace.Id, world.Admin.Id, Roles.Member);
            Assert.True(demoted.Succeeded, demoted.Message);
        }

        await Assertions.Expect(create).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revoke deploy-bot" })).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByText($"as a member of {world.Workspace.Name},")).ToBeVisibleAsync();
    }
}
