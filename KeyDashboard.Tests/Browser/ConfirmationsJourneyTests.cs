using System.Text.RegularExpressions;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Playwright;

namespace KeyDashboard.Tests.Browser;

/// <summary>The questions asked before a plan downgrade and a cancelled invitation, at a laptop's and a phone's width.</summary>
public sealed class ConfirmationsJourneyTests(DashboardServer server) : BrowserTest(server)
{
    private const string Invitee = "cancelled.hire@example.com";
    private static readonly (int Width, int Height)[] Sizes = [(1280, 800), (390, 844)];

    [BrowserFact]
    public async Task Downgrading_says_how_many_live_keys_stop_working_and_keep_paid_changes_nothing()
    {
        var page = await Server.SignInAsync("owner@example.com");
        await DashboardPage.NavigateAsync(page, "Settings");
        var reports = new List<string?>();

        foreach (var (width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GetByRole(AriaRole.Button, new() { Name = "Downgrade to Free" }).ClickAsync();
            var question = page.GetByRole(AriaRole.Dialog, new() { Name = "Downgrade to Free" });
            await Assertions.Expect(question).ToContainTextAsync(new Regex(@"\d+ live keys? stops? working until you upgrade again\."));
            await DashboardPage.ScreenshotAsync(page, $"downgrade-question-{width}");
            reports.Add(await Axe.SeriousViolationsAsync(question, $"the downgrade question at {width} px"));
            await question.GetByRole(AriaRole.Button, new() { Name = "Keep Paid" }).ClickAsync();
            await Assertions.Expect(question).ToBeHiddenAsync();
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Downgrade to Free" })).ToBeVisibleAsync();
        Assert.Equal(WorkspacePlan.Paid, (await Server.WorkspaceAsync("Demo")).Plan);
        Axe.AssertNone([.. reports]);
    }

    [BrowserFact]
    public async Task Cancelling_an_invitation_asks_first_and_then_says_its_link_no_longer_works()
    {
        var page = await Server.SignInAsync("owner@example.com");
        await DashboardPage.NavigateAsync(page, "Members");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite member" }).ClickAsync();
        var invite = page.GetByRole(AriaRole.Dialog, new() { Name = "Invite member" });
        await invite.GetByLabel("E-mail").FillAsync(Invitee);
        await invite.GetByRole(AriaRole.Button, new() { Name = "Invite member" }).ClickAsync();
        await invite.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(invite).ToBeHiddenAsync();
        var cancel = page.GetByRole(AriaRole.Button, new() { Name = $"Cancel invitation of {Invitee}" });
        var question = page.GetByRole(AriaRole.Dialog, new() { Name = "Cancel invitation" });
        var reports = new List<string?>();

        foreach (var (width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            await cancel.ClickAsync();
            await Assertions.Expect(question).ToContainTextAsync(Invitee);
            await DashboardPage.ScreenshotAsync(page, $"cancel-invitation-question-{width}");
            reports.Add(await Axe.SeriousViolationsAsync(question, $"the cancel-invitation question at {width} px"));
            await question.GetByRole(AriaRole.Button, new() { Name = "Keep invitation" }).ClickAsync();
            await Assertions.Expect(question).ToBeHiddenAsync();
            await Assertions.Expect(cancel).ToBeVisibleAsync();
        }

        await cancel.ClickAsync();
        await question.GetByRole(AriaRole.Button, new() { Name = "Cancel invitation" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Invitation to {Invitee} cancelled: its link no longer works.")).ToBeVisibleAsync();
        await Assertions.Expect(cancel).ToHaveCountAsync(0);
        Axe.AssertNone([.. reports]);
    }
}
