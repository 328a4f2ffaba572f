using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Components.Shared;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class KeyDetailsPageTests : ComponentTestContext
{
    private static readonly string[] ManageActions = ["Edit", "Rotate", "Revoke"];

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public async Task Owners_and_admins_see_everything_with_the_actions_and_the_history(string role)
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", owner: Database.Admin) with { Description = "Syncs contacts", Scopes = ["keys:read", "usage:read", "audit:read"] });
        await Database.UpdateKeyRowAsync(key.Key.Id, k => { k.UsageCount = 4321; k.LastUsedAt = Database.Clock.GetUtcNow().AddHours(-2); k.LastUsedFrom = "203.0.113.8"; });
        this.SignInAs(Database, role == Roles.Owner ? Database.Owner : Database.Admin, role);

        var (page, _) = RenderPage(key.Key.Id);

        page.WaitForElement("[aria-label='Key history'] tbody tr td");
        Assert.Equal("crm-sync", page.Find("h1").TextContent.Trim());
        var details = DetailRows(page);
        Assert.Equal(key.Key.Id, details["Key ID"]);
        Assert.Equal(key.Key.DisplayPrefix + "…", details["Prefix"]);
        Assert.Equal("admin@acme.test", details["Owner"]);
        Assert.Equal("Nov 23, 2026 12:00 UTC by owner@acme.test", details["Created"]);
        Assert.Equal("Nov 23, 2027 12:00 UTC", details["Expires"]);
        Assert.Contains("Syncs contacts", page.Markup);
        Assert.Equal(["audit:read", "keys:read", "usage:read"], page.FindAll("[aria-label='Scopes'] .mud-chip").Select(c => c.TextContent.Trim()));
        Assert.Contains("4,321", page.Markup);
        Assert.Contains(page.FindAll("p"), p => p.TextContent.Trim() == "2 hours ago from 203.0.113.8");
        foreach (var action in ManageActions)
            Assert.False(page.Find($"button[aria-label='{action} crm-sync']").IsDisabled(), action);
        Assert.Contains("Key created", page.Find("[aria-label='Key history']").TextContent);
    }

    [Fact]
    public async Task Times_show_in_the_viewers_zone_and_the_history_reads_in_words_with_names()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync", owner: Database.Admin) with { Scopes = ["keys:read", "usage:read"] });
        await Database.KeyService().RotateAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, key.Key.Id, RotationGrace.OneHour);
        RenderTree.Add<CascadingValue<ViewerTimeZone>>(ps => ps.Add(p => p.Value, ViewerTimeZone.FromId("America/New_York")));
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (page, _) = RenderPage(key.Key.Id);

        var history = page.WaitForElement("[aria-label='Key history']");
        page.WaitForAssertion(() => Assert.Contains("Grace: 1 hour", Words(history.TextContent)));
        Assert.Equal("Nov 23, 2026 07:00 by owner@acme.test", DetailRows(page)["Created"]);
        Assert.Equal("2026-11-23 12:00:00 UTC", page.Find("[aria-label='Key details'] time").GetAttribute("title"));
        var text = Words(history.TextContent);
        Assert.Contains("Old secret valid until: Nov 23, 2026 08:00", text);
        Assert.Contains("Owner: admin@acme.test", text);
        Assert.Contains("Scopes: keys:read, usage:read", text);
        Assert.DoesNotContain(Database.Admin.Id, history.InnerHtml);
        Assert.DoesNotContain("{", text);
    }

    [Fact]
    public async Task A_member_sees_the_key_and_its_usage_but_not_its_history_and_no_management_actions()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        this.SignInAs(Database, Database.Member, Roles.Member);

        var (page, _) = RenderPage(key.Key.Id);

        page.WaitForAssertion(() => Assert.Equal("crm-sync", page.Find("h1").TextContent.Trim()));
        foreach (var action in ManageActions)
            Assert.True(page.Find($"button[aria-label='{action} crm-sync']").IsDisabled(), action);
        Assert.False(page.Find("button[aria-label='View crm-sync']").IsDisabled());
        Assert.Contains("Only owners and admins can see the audit log.", page.Markup);
        Assert.Empty(page.FindAll("[aria-label='Key history']"));
        Assert.Single(page.FindComponents<MudChart<double>>());
    }

    [Fact]
    public async Task The_chart_shows_requests_per_day_for_30_days_zeros_included()
    {
        var key = await Database.CreateKeyAsync();
        await Database.AddUsageAsync(key.Key.Id, (0, 5), (-3, 7), (-29, 11), (-30, 1000));
        this.SignInAs(Database, Database.Member, Roles.Member);

        var (page, _) = RenderPage(key.Key.Id);

        var chart = page.WaitForComponent<MudChart<double>>();
        var series = Assert.Single(chart.Instance.ChartSeries);
        Assert.Equal(30, series.Data.Count);
        Assert.Equal(11, series.Data.GetValue(0));
        Assert.Equal(7, series.Data.GetValue(26));
        Assert.Equal(5, series.Data.GetValue(29));
        Assert.Equal(27, series.Data.Values.Count(v => v == 0));
        Assert.Equal("Oct 25", chart.Instance.ChartLabels[0]);
        // The bars themselves are drawn at the chart's shown size, which only a browser has: AuditLogJourneyTests counts them.
        Assert.Equal("Nov 23", chart.Instance.ChartLabels[29]);
    }

    [Theory]
    [InlineData(5, 3, "Old secret last used 3 hours ago")]
    [InlineData(2, null, "Old secret not used since the rotation")]
    [InlineData(25, null, "No use of the old secret in 24 h: hand-off complete")]
    [InlineData(30, 24, "No use of the old secret in 24 h: hand-off complete")]
    [InlineData(24 * 7 + 1, 30, "Grace period over: old secret last used 1 day ago")]
    public async Task During_a_rotation_the_page_says_how_the_hand_off_goes(int hoursSinceRotation, int? hoursSinceOldSecretUse, string expected)
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        await Database.KeyService().RotateAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, key.Key.Id, RotationGrace.SevenDays);
        Database.Clock.Advance(TimeSpan.FromHours(hoursSinceRotation));
        if (hoursSinceOldSecretUse is { } hours)
            await Database.UpdateKeyRowAsync(key.Key.Id, k => k.PreviousSecretLastUsedAt = Database.Clock.GetUtcNow().AddHours(-hours));
        this.SignInAs(Database, Database.Admin, Roles.Admin);

        var (page, _) = RenderPage(key.Key.Id);

        var handOff = page.WaitForElement("[aria-label='Rotation hand-off']");
        Assert.Equal(expected, handOff.QuerySelector("strong")!.TextContent.Trim());
    }

    [Fact]
    public async Task No_hand_off_without_a_rotation()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);

        var (page, _) = RenderPage(key.Key.Id);

        page.WaitForAssertion(() => Assert.Equal("crm-sync", page.Find("h1").TextContent.Trim()));
        Assert.Empty(page.FindAll("[aria-label='Rotation hand-off']"));
    }

    [Fact]
    public async Task A_revoked_key_says_by_whom_when_and_why()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        Database.Clock.Advance(TimeSpan.FromHours(1));
        await Database.KeyService().RevokeAsync(Database.ActorFor(Database.Admin), Database.Workspace.Id, key.Key.Id, "Leaked in ticket 4711");
        this.SignInAs(Database, Database.Member, Roles.Member);

        var (page, _) = RenderPage(key.Key.Id);

        page.WaitForAssertion(() => Assert.Equal("crm-sync", page.Find("h1").TextContent.Trim()));
        var details = DetailRows(page);
        Assert.Equal("Nov 23, 2026 13:00 UTC by admin@acme.test", details["Revoked"]);
        Assert.Equal("Leaked in ticket 4711", details["Reason"]);
        Assert.Contains("Revoked", page.Find(".mud-chip-color-error").TextContent);
    }

    [Fact]
    public async Task Another_workspaces_key_is_not_found_here()
    {
        var theirs = await Database.CreateKeyAsync(WorldKeys.KeyRequest("their-secret-project"), Database.OtherAdmin, Database.OtherWorkspace);
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (page, _) = RenderPage(theirs.Key.Id);

        page.WaitForAssertion(() => Assert.Equal("No such key in this workspace", page.Find("h1").TextContent.Trim()));
        Assert.DoesNotContain("their-secret-project", page.Markup);
        Assert.DoesNotContain(theirs.Key.DisplayPrefix, page.Markup);
        Assert.Empty(page.FindComponents<MudChart<double>>());
    }

    [Fact]
    public async Task Revoking_from_the_page_shows_the_key_revoked_with_its_reason_and_history()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-sync"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (page, dialogs) = RenderPage(key.Key.Id);

        page.WaitForElement("button[aria-label='Revoke crm-sync']").Click();
        dialogs.WaitForElement("ul li");
        dialogs.Field("Reason").Change("No longer needed");
        dialogs.Button("Revoke").Click();

        page.WaitForAssertion(() => Assert.Equal("No longer needed", DetailRows(page)["Reason"]));
        page.WaitForAssertion(() => Assert.Contains("Key revoked", page.Find("[aria-label='Key history']").TextContent));
        Assert.True(page.Find("button[aria-label='Revoke crm-sync']").IsDisabled());
    }

    private (IRenderedComponent<KeyDetailsPage>, IRenderedComponent<MudDialogProvider>) RenderPage(string keyId)
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        return (Render<KeyDetailsPage>(ps => ps.Add(p => p.KeyId, keyId)), dialogs);
    }

    private static string Words(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private static Dictionary<string, string> DetailRows(IRenderedComponent<KeyDetailsPage> page) =>
        page.FindAll("[aria-label='Key details'] tr").ToDictionary(
            tr => tr.QuerySelector("th")!.TextContent.Trim(),
            tr => System.Text.RegularExpressions.Regex.Replace(tr.QuerySelector("td")!.TextContent.Trim(), @"\s+", " "));
}
