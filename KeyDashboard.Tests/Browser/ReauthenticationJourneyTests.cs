using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

public sealed class ReauthenticationJourneyTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task Owner_re_authenticates_before_creating_a_live_key()
    {
        var page = await Server.SignInAsync("owner@example.com");
        await page.SetViewportSizeAsync(1280, 800);
        await SignedInMinutesAgoAsync("owner@example.com", 16);

        var create = await SubmitLiveKeyAsync(page, "prod-checkout");

        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Confirm it's you" });
        await Assertions.Expect(confirm.GetByLabel("Password")).ToBeVisibleAsync();
        await DashboardPage.ScreenshotAsync(page, "reauthentication-dialog-1280");
        await confirm.GetByLabel("Password").FillAsync("Not-the-password-1");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(confirm.GetByText("That password or code is not right.")).ToBeVisibleAsync();
        await Assertions.Expect(create).ToBeVisibleAsync();

        await confirm.GetByLabel("Password").FillAsync(DemoData.Password);
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();

        var reveal = page.GetByRole(AriaRole.Dialog, new() { Name = "API key created" });
        Assert.Matches("^kd_live_[0-9A-Za-z]{38}$", (await reveal.Locator("code").First.InnerTextAsync()).Trim());
        await Assertions.Expect(confirm).ToHaveCountAsync(0);
        Assert.Equal(KeyDashboard.Keys.KeyEnvironment.Live, (await Server.KeyRowAsync("prod-checkout")).Environment);
    }

    [BrowserFact]
    public async Task The_question_fits_a_phone()
    {
        var page = await Server.SignInAsync("owner@example.com");
        await page.SetViewportSizeAsync(390, 844);
        await SignedInMinutesAgoAsync("owner@example.com", 16);

        await SubmitLiveKeyAsync(page, "prod-phone-app");

        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Confirm it's you" });
        var box = (await confirm.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"The dialog spans {box.X} to {box.X + box.Width} on a 390 px screen.");
        await Assertions.Expect(confirm.GetByRole(AriaRole.Button, new() { Name = "Confirm" })).ToBeInViewportAsync();
        await DashboardPage.ScreenshotAsync(page, "reauthentication-dialog-390");
    }

    /// <summary>Fills the create dialog for a live key and submits it; returns the create dialog.</summary>
    private static async Task<ILocator> SubmitLiveKeyAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var create = page.GetByRole(AriaRole.Dialog, new() { Name = "Create API key" });
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await create.GetByRole(AriaRole.Radio, new() { Name = "live" }).CheckAsync();
        await create.GetByLabel("Read keys").CheckAsync();
        await create.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        return create;
    }

    /// <summary>Makes the account's sessions as old as a sign-in <paramref name="minutes"/> minutes ago.</summary>
    private async Task SignedInMinutesAgoAsync(string email, int minutes)
    {
        var user = await Server.UserAsync(email);
        await using var db = await Server.DbFactory.CreateDbContextAsync();
        var then = DateTimeOffset.UtcNow.AddMinutes(-minutes);
        await db.UserSessions.Where(s => s.UserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.AuthenticatedAt, then));
    }
}
