using KeyDashboard.Tests.TestSupport;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>
/// Every page works under the Content-Security-Policy and breaks none of it: an owner walks the dashboard and the
/// account pages, the circuit connects and dialogs open, and the browser reports no violation.
/// </summary>
public sealed class ContentSecurityPolicyTests(DashboardServer server) : BrowserTest(server)
{
    // Playwright's init scripts run outside the page's policy; this one turns every violation the page reports
    // into a console error, beside the browser's own "Refused to …" messages.
    private const string ReportViolations = """
        document.addEventListener('securitypolicyviolation', e =>
          console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    [BrowserFact]
    public async Task An_owner_visits_every_page_without_a_policy_violation()
    {
        var violations = new List<string>();
        var context = await Server.NewContextAsync();
        await context.AddInitScriptAsync(ReportViolations);
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("CSP violation") || message.Text.Contains("Content Security Policy"))
                violations.Add($"{message.Page?.Url}: {message.Text}");
        };
        var page = await context.NewPageAsync();

        await page.GotoAsync("/Account/Register");
        await Assertions.Expect(page.GetByLabel("Email")).ToBeVisibleAsync();
        await DashboardPage.LogInAsync(page, "owner@example.com");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var create = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(create.GetByLabel("Name", new() { Exact = true })).ToBeVisibleAsync();
        await create.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(create).ToBeHiddenAsync();

        var key = page.Locator(".mud-table-body a").First;
        var keyName = await key.InnerTextAsync();
        await key.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = keyName, Exact = true })).ToBeVisibleAsync();

        await DashboardPage.NavigateAsync(page, "Members");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite member" }).ClickAsync();
        var invite = page.GetByRole(AriaRole.Dialog, new() { Name = "Invite member" });
        await Assertions.Expect(invite.GetByLabel("E-mail")).ToBeVisibleAsync();
        await invite.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await DashboardPage.NavigateAsync(page, "Audit log");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await DashboardPage.NavigateAsync(page, "Settings");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Key policy" })).ToBeVisibleAsync();
        await DashboardPage.NavigateAsync(page, "API keys");
        await page.GetByRole(AriaRole.Link, new() { Name = "Find a leaked key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Find a leaked key" })).ToBeVisibleAsync();

        await page.GotoAsync("/Account/Manage");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Profile" })).ToBeVisibleAsync();
        await page.GotoAsync("/Account/Manage/TwoFactorAuthentication");
        await page.GotoAsync("/Account/Manage/EnableAuthenticator");
        await Assertions.Expect(page.GetByLabel("Verification Code")).ToBeVisibleAsync();
        await page.GotoAsync("/Account/Manage/Passkeys");
        await page.GotoAsync("/Account/AcceptInvitation?token=not-a-token");
        await Assertions.Expect(page.GetByText("This invitation link is not valid.")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await DashboardPage.WaitForKeysAsync(page);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }
}
