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

        var match = page.WaitForElement("[aria-label='Matching key crm-sync']");
        Assert.Contains("This is the key crm-sync", match.TextContent);
        Assert.Contains("1 key of yours is in the text.", page.Markup);
        var rows = Details(match, "crm-sync");
        Assert.Equal("Acme", rows["Workspace"]);
        Assert.Equal("member@acme.test", rows["Owner"]);
        Assert.Equal("Active", rows["Status"]);
        Assert.Equal("5 hours ago from 203.0.113.4", rows["Last used"]);
        Assert.Equal("", page.Field("Text or key").GetAttribute("value") ?? "");
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

        page.WaitForElement("[aria-label='Matching key crm-sync']");
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

        var match = page.WaitForElement("[aria-label='Matching key other-app']");
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
    public async Task A_pasted_log_shows_every_key_of_yours_in_it_once_and_each_can_be_revoked()
    {
        var crm = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        var billing = await Database.CreateKeyAsync(WorldKeys.KeyRequest("billing-webhooks") with { Environment = KeyEnvironment.Live });
        var theirs = await Database.CreateKeyAsync(WorldKeys.KeyRequest("other-app"), Database.OtherAdmin, Database.OtherWorkspace);
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, dialogs) = RenderPage();

        LookUp(page, $$"""
            POST /v1/emails HTTP/1.1
            Authorization: Bearer {{crm.Secret}}
            {"event":"retry","apiKey":"{{billing.Secret}}","previous":"{{crm.Secret}}","other":"{{theirs.Secret}}"}
            """);

        page.WaitForAssertion(() => Assert.Contains("2 keys of yours are in the text.", page.Markup));
        var matches = page.FindAll("[aria-label^='Matching key ']");
        Assert.Equal(["Matching key crm-sync", "Matching key billing-webhooks"], matches.Select(m => m.GetAttribute("aria-label")));
        Assert.Equal("live", Details(matches[1], "billing-webhooks")["Environment"]);
        Assert.DoesNotContain("other-app", page.Markup);
        foreach (var secret in new[] { crm.Secret, billing.Secret, theirs.Secret }) Assert.DoesNotContain(secret, page.Markup);

        matches[0].QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Revoke now").Click();
        dialogs.WaitForElement("ul li");
        dialogs.Button("Revoke").Click();
        page.WaitForAssertion(() => Assert.Contains("This key is revoked",
            page.Find("[aria-label='Matching key crm-sync']").TextContent));
        Assert.Single(page.FindAll("button").Where(b => b.TextContent.Trim() == "Revoke now"));
        Assert.False(await Database.IsUsableNowAsync(crm.Secret));
        Assert.True(await Database.IsUsableNowAsync(billing.Secret));
    }

    [Fact]
    public async Task Text_over_100_KB_is_refused_with_a_message_at_the_field()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, _) = RenderPage();

        LookUp(page, key.Secret + new string(' ', LeakedKeyFinder.MaxTextBytes));

        page.WaitForAssertion(() => Assert.Contains(LeakedKeyFinder.TooLong, page.Markup));
        Assert.Empty(page.FindAll("[aria-label^='Matching key']"));
        Assert.Equal(LeakedKeyFinder.MaxTextBytes + 1, int.Parse(page.Field("Text or key").GetAttribute("maxlength")!));
    }

    [Fact]
    public void A_member_is_told_only_owners_and_admins_can_look_up_keys()
    {
        this.SignInAs(Database, Database.Member, Roles.Member);

        var (page, _) = RenderPage();

        Assert.Contains("Only owners and admins can look up leaked keys.", page.Markup);
        Assert.Empty(page.FindAll("input"));
    }

    private static Dictionary<string, string> Details(IElement match, string name) =>
        match.QuerySelectorAll($"[aria-label='Details of {name}'] tr")
            .ToDictionary(tr => tr.QuerySelector("th")!.TextContent.Trim(), tr => tr.QuerySelector("td")!.TextContent.Trim());

    private static void LookUp(IRenderedComponent<LeakedKeyPage> page, string presented)
    {
        page.Field("Text or key").Input(presented);
        page.Find("form").Submit();
    }

    private (IRenderedComponent<LeakedKeyPage>, IRenderedComponent<MudDialogProvider>) RenderPage()
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        return (Render<LeakedKeyPage>(), dialogs);
    }
}
