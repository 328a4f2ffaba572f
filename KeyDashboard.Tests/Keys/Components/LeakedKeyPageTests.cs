using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class LeakedKeyPageTests : ComponentTestContext
{
    [Fact]
    public async Task An_admin_pastes_a_key_sees_which_key_it_is_and_the_field_is_cleared()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync") with { OwnerUserId = Database.Member.Id });
        await Database.UpdateKeyRowAsync(key.Key.Id, k => { k.LastUsedAt = Database.Clock.GetUtcNow().AddHours(-5); k.LastUsedFrom = "203.0.113.4"; });
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, _) = RenderPage();

        LookUp(page, key.Secret);

        var match = page.WaitForElement("[aria-label='Matching key']");
        Assert.Contains("This is the key crm-sync", match.TextContent);
        var rows = match.QuerySelectorAll("[aria-label='Matching key details'] tr")
            .ToDictionary(tr => tr.QuerySelector("th")!.TextContent.Trim(), tr => tr.QuerySelector("td")!.TextContent.Trim());
        Assert.Equal("Acme", rows["Workspace"]);
        Assert.Equal("member@acme.test", rows["Owner"]);
        Assert.Equal("Active", rows["Status"]);
        Assert.Equal("5 hours ago from 203.0.113.4", rows["Last used"]);
        Assert.Equal("", page.Field("Key").GetAttribute("value") ?? "");
        Assert.DoesNotContain(key.Secret, page.Markup);
        Assert.NotNull(match.QuerySelector($"a[href='keys/{key.Key.Id}']"));
    }

    [Fact]
    public async Task Revoke_now_revokes_the_key_through_the_revoke_dialog()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (page, dialogs) = RenderPage();
        LookUp(page, key.Secret);

        page.WaitForElement("[aria-label='Matching key']");
        page.Button("Revoke now").Click();
        dialogs.WaitForElement("ul li");
        dialogs.Field("Reason").Change("Found in a public repository");
        dialogs.Button("Revoke").Click();

        page.WaitForAssertion(() => Assert.Contains("This key is revoked", page.Markup));
        Assert.Empty(page.FindAll("button").Where(b => b.TextContent.Trim() == "Revoke now"));
        Assert.False(await Database.IsUsableNowAsync(key.Secret));
        Assert.Equal("Found in a public repository", (await Database.KeyRowAsync(key.Key.Id)).RevokedReason);
    }

    [Fact]
    public async Task A_key_of_another_workspace_the_admin_runs_can_be_revoked_there()
    {
        await Database.AddMembershipAsync(Database.OtherWorkspace, Database.Admin, Roles.Admin);
        var theirs = await Database.CreateKeyAsync(WorldKeys.KeyRequest("other-app"), Database.OtherAdmin, Database.OtherWorkspace);
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, dialogs) = RenderPage();
        LookUp(page, theirs.Secret);

        var match = page.WaitForElement("[aria-label='Matching key']");
        Assert.Contains("Other", match.TextContent);
        Assert.Null(match.QuerySelector("a[href^='keys/']"));
        page.Button("Revoke now").Click();
        dialogs.WaitForElement("ul li");
        dialogs.Button("Revoke").Click();

        page.WaitForAssertion(() => Assert.Contains("This key is revoked", page.Markup));
        Assert.False(await Database.IsUsableNowAsync(theirs.Secret));
    }

    [Fact]
    public async Task Someone_elses_key_unknown_key_and_garbage_all_get_the_same_message()
    {
        var theirs = await Database.CreateKeyAsync(WorldKeys.KeyRequest("other-app"), Database.OtherAdmin, Database.OtherWorkspace);
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, _) = RenderPage();

        var answers = new List<string>();
        foreach (var presented in new[] { theirs.Secret, Database.Format.Generate(KeyEnvironment.Live), "hello" })
        {
            LookUp(page, presented);
            page.WaitForAssertion(() => Assert.Contains(LeakedKeyFinder.NoMatch, page.Markup));
            // bUnit numbers event handlers per render; everything a person or a browser sees must be identical.
            answers.Add(System.Text.RegularExpressions.Regex.Replace(page.Markup, "blazor:[a-z:]+=\"\\d+\"", ""));
            Assert.DoesNotContain(presented, page.Markup);
        }

        Assert.Single(answers.Distinct());
        Assert.DoesNotContain("other-app", page.Markup);
        Assert.Equal(3, (await Database.AuditEntriesAsync(AuditActions.KeyLookup)).Count);
    }

    [Fact]
    public void A_member_is_told_only_owners_and_admins_can_look_up_keys()
    {
        this.SignInAs(Database, Database.Member, Roles.Member);

        var (page, _) = RenderPage();

        Assert.Contains("Only owners and admins can look up leaked keys.", page.Markup);
        Assert.Empty(page.FindAll("input"));
    }

    private static void LookUp(IRenderedComponent<LeakedKeyPage> page, string presented)
    {
        page.Field("Key").Input(presented);
        page.Find("form").Submit();
    }

    private (IRenderedComponent<LeakedKeyPage>, IRenderedComponent<MudDialogProvider>) RenderPage()
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        return (Render<LeakedKeyPage>(), dialogs);
    }
}
