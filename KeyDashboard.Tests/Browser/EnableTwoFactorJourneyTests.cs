using System.Text.RegularExpressions;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>Turning on two-factor authentication as a person does: the key from the page into an authenticator app, its code back.</summary>
public sealed class EnableTwoFactorJourneyTests(DashboardServer server) : BrowserTest(server)
{
    [BrowserFact]
    public async Task Member_enables_two_factor_with_the_key_beside_the_QR_code_and_then_signs_in_with_a_code()
    {
        var page = await (await Server.NewContextAsync()).NewPageAsync();
        await DashboardPage.LogInAsync(page, "member@example.com");

        await page.GotoAsync("/Account/Manage/EnableAuthenticator");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of the key, for your authenticator app" })).ToBeVisibleAsync();
        var key = (await page.Locator("kbd").InnerTextAsync()).Trim();
        await page.GetByLabel("Verification Code").FillAsync(AuthenticatorApp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Your authenticator app has been verified.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Put these codes in a safe place.")).ToBeVisibleAsync();

        var later = await (await Server.NewContextAsync()).NewPageAsync();
        await later.GotoAsync("/Account/Login");
        await later.GetByLabel("Email").FillAsync("member@example.com");
        await later.GetByLabel("Password").FillAsync(DemoData.Password);
        await later.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Assertions.Expect(later).ToHaveURLAsync(new Regex("/Account/LoginWith2fa"));
        await later.GetByLabel("Authenticator code").FillAsync(AuthenticatorApp.Code(key));
        await later.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await DashboardPage.WaitForKeysAsync(later);
    }
}
