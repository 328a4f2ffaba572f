using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.AuditLog;
using KeyDashboard.Components.Shared;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static KeyDashboard.Tests.TestSupport.WorldAudit;

namespace KeyDashboard.Tests.AuditLog;

public sealed class AuditLogPageTests : ComponentTestContext
{
    private const string ViewerZone = "Asia/Tokyo";

    private readonly BunitJSModuleInterop _module;

    public AuditLogPageTests()
    {
        _module = JSInterop.SetupModule("./AuditLog/AuditLogPage.razor.js");
        _module.SetupVoid("download").SetVoidResult();
        // As Routes cascades it from the browser's cookie.
        RenderTree.Add<CascadingValue<ViewerTimeZone>>(ps => ps.Add(p => p.Value, ViewerTimeZone.FromId(ViewerZone)));
    }

    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public async Task Owners_and_admins_see_who_did_what_when_in_their_time_zone_and_from_where(string role)
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        SignIn(role);

        var page = Render<AuditLogPage>();

        var row = page.WaitForElement(".mud-table-body tr:has(time)");
        var cells = row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        // Created at 12:00 UTC: 21:00 in Tokyo, with the UTC time on hover.
        Assert.Equal("Nov 23, 2026 21:00", cells[0]);
        Assert.Equal("2026-11-23 12:00:00 UTC", row.QuerySelector("time")!.GetAttribute("title"));
        Assert.Equal("User owner@acme.test", Normalize(cells[1]));
        Assert.Equal("Key created", cells[2]);
        Assert.StartsWith("ci-deploy", cells[3]);
        Assert.Equal("198.51.100.7", cells[4]);
        Assert.Contains("Scopes: keys:read", Normalize(cells[5]));
        Assert.Contains("Owner: owner@acme.test", Normalize(cells[5]));
        Assert.DoesNotContain(Database.Owner.Id, row.InnerHtml);
        Assert.Contains($"Times are in your time zone, {ViewerZone}.", page.Markup);
        Assert.Equal("audit/export.csv", Export(page));
    }

    [Fact]
    public async Task A_member_is_told_only_owners_and_admins_can_see_the_log_and_gets_no_rows_or_export()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        SignIn(Roles.Member);

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Contains("Only owners and admins can see the audit log.", page.Markup));
        Assert.Empty(page.FindAll("table"));
        Assert.DoesNotContain("Export CSV", page.Markup);
        Assert.DoesNotContain("ci-deploy", page.Markup);
    }

    [Fact]
    public async Task A_member_whose_role_claim_says_admin_is_still_refused_by_the_database()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        this.SignInAs(Database, Database.Member, Roles.Admin);

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Contains(Permissions.Refusal(Permission.SeeAuditLog), page.Markup));
        Assert.DoesNotContain("ci-deploy", page.Markup);
    }

    [Fact]
    public async Task Another_workspaces_entries_never_show()
    {
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("ours"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("theirs"), by: Database.OtherAdmin, workspace: Database.OtherWorkspace);
        SignIn(Roles.Owner);

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Contains("ours", page.Markup));
        Assert.DoesNotContain("theirs", page.Markup);
        Assert.DoesNotContain("admin@other.test", page.Markup);
    }

    [Fact]
    public async Task An_entry_made_with_a_key_says_so()
    {
        await Database.AddAuditEntriesAsync(Entry(Database.Workspace.Id, AuditActions.KeyRevoked, Database.Clock.GetUtcNow(),
            actorName: "ci-deploy (kd_live_AbC4)", actorType: AuditActorType.Key, actorId: "key-1", targetId: "key-2", targetName: "leaked"));
        SignIn(Roles.Admin);

        var page = Render<AuditLogPage>();

        var row = page.WaitForElement(".mud-table-body tr:has(time)");
        Assert.Equal("Key ci-deploy (kd_live_AbC4)", Normalize(row.QuerySelectorAll("td")[1].TextContent));
    }

    [Fact]
    public async Task Choosing_an_action_shows_only_those_entries_and_the_export_link_follows()
    {
        var revoked = await Database.CreateKeyAsync(WorldKeys.KeyRequest("revoked-one"));
        await Database.CreateKeyAsync(WorldKeys.KeyRequest("still-here"));
        await Database.KeyService().RevokeAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, revoked.Key.Id, "leaked");
        SignIn(Roles.Owner);
        var page = Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));

        var select = page.FindComponent<MudSelect<string>>();
        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(AuditActions.KeyRevoked));

        page.WaitForAssertion(() => Assert.Equal(["Key revoked"], Rows(page).Select(r => r.QuerySelectorAll("td")[2].TextContent.Trim())));
        Assert.Equal("audit/export.csv?action=key.revoked", Export(page));
    }

    [Fact]
    public async Task Exporting_more_than_15_minutes_after_signing_in_asks_for_the_password_first_then_downloads()
    {
        SignIn(Roles.Owner);
        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var page = Render<AuditLogPage>();
        page.WaitForElement(".mud-table-body");

        page.Button("Export CSV").Click();

        dialogs.WaitForElement("form#reauthentication-form");
        Assert.Empty(_module.Invocations["download"]);
        dialogs.Field("Password").Input(TestWorld.Password);
        dialogs.Find("form#reauthentication-form").Submit();

        page.WaitForAssertion(() => Assert.Single(_module.Invocations["download"]));
        Assert.Equal("audit/export.csv", _module.Invocations["download"].Single().Arguments[0]);
    }

    [Fact]
    public void The_action_filter_offers_every_known_action_by_its_label()
    {
        SignIn(Roles.Owner);
        var popovers = Render<MudPopoverProvider>();
        var page = Render<AuditLogPage>();

        var select = page.WaitForElement(".mud-select .mud-input-control");
        select.QuerySelector(".mud-select-input, .mud-input-slot")!.MouseDown();

        popovers.WaitForAssertion(() =>
        {
            foreach (var label in new[] { "All actions", "Key created", "Key revoked", "Signed in", "Sign-in failed", "Locked out", "Signed out" })
                Assert.Contains(label, popovers.Markup);
        });
    }

    [Fact]
    public async Task A_date_range_covers_whole_days_in_the_viewers_time_zone()
    {
        var tokyoMidnight = new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero); // 21 Nov 00:00 in Tokyo
        await Database.AddAuditEntriesAsync(
            Entry(Database.Workspace.Id, AuditActions.KeyEdited, tokyoMidnight.AddSeconds(-1), targetId: "k", targetName: "day-before"),
            Entry(Database.Workspace.Id, AuditActions.KeyEdited, tokyoMidnight, targetId: "k", targetName: "first-second"),
            Entry(Database.Workspace.Id, AuditActions.KeyEdited, tokyoMidnight.AddDays(1).AddSeconds(-1), targetId: "k", targetName: "last-second"),
            Entry(Database.Workspace.Id, AuditActions.KeyEdited, tokyoMidnight.AddDays(1), targetId: "k", targetName: "day-after"));
        SignIn(Roles.Owner);
        var page = Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Count));

        var picker = page.FindComponent<MudDateRangePicker>();
        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(new DateTime(2026, 11, 21), new DateTime(2026, 11, 21))));

        page.WaitForAssertion(() => Assert.Equal(["last-second", "first-second"], Rows(page).Select(r => r.QuerySelectorAll("td")[3].QuerySelector("p")!.TextContent.Trim())));
        Assert.Equal("audit/export.csv?from=2026-11-20T15%3A00%3A00.0000000Z&to=2026-11-21T15%3A00%3A00.0000000Z", Export(page));
    }

    [Fact]
    public async Task Pages_of_25_with_the_total_underneath()
    {
        await Database.AddAuditEntriesAsync(Enumerable.Range(0, 30)
            .Select(i => Entry(Database.Workspace.Id, AuditActions.KeyEdited, Database.Clock.GetUtcNow().AddMinutes(-i), targetId: $"k{i}", targetName: $"key-{i}")));
        SignIn(Roles.Owner);

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal(25, Rows(page).Count));
        Assert.Contains("1-25 of 30", page.Find(".mud-table-pagination").TextContent);
        Assert.Contains("key-0", Rows(page)[0].TextContent);
    }

    [Fact]
    public async Task Hide_sign_ins_leaves_out_sign_ins_and_what_goes_with_them_and_the_export_follows()
    {
        var now = Database.Clock.GetUtcNow();
        await Database.AddAuditEntriesAsync(
            Entry(Database.Workspace.Id, AuditActions.SignedIn, now.AddMinutes(-4), details: """{"method":"password"}"""),
            Entry(Database.Workspace.Id, AuditActions.SignInFailed, now.AddMinutes(-3)),
            Entry(Database.Workspace.Id, AuditActions.SessionEnded, now.AddMinutes(-2)),
            Entry(Database.Workspace.Id, AuditActions.KeyEdited, now.AddMinutes(-1), targetId: "k", targetName: "renamed-key"));
        SignIn(Roles.Owner);
        var page = Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Count));

        page.Find("input[type=checkbox]").Change(true);

        page.WaitForAssertion(() => Assert.Equal(["Key edited"], Rows(page).Select(r => r.QuerySelectorAll("td")[2].TextContent.Trim())));
        Assert.Equal("audit/export.csv?hideSignIns=true", Export(page));
    }

    [Fact]
    public async Task Details_name_people_and_keys_and_an_unnamed_session_shows_as_its_kind_never_an_id_or_json()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        var sessionId = Guid.NewGuid().ToString();
        var ended = Entry(Database.Workspace.Id, AuditActions.SessionEnded, Database.Clock.GetUtcNow().AddMinutes(1), actorId: Database.Owner.Id,
            details: """{"reason":"ended_by_user"}""");
        (ended.TargetType, ended.TargetId) = ("session", sessionId);
        await Database.AddAuditEntriesAsync(ended,
            Entry(Database.Workspace.Id, AuditActions.AuditExported, Database.Clock.GetUtcNow().AddMinutes(2),
                details: AuditTrail.Details(new { key = key.Key.Id, from = Database.Clock.GetUtcNow() })));
        SignIn(Roles.Owner);

        var page = Render<AuditLogPage>();

        page.WaitForAssertion(() => Assert.Equal(3, Rows(page).Count));
        var text = Normalize(page.Find(".mud-table-body").TextContent);
        Assert.Contains("A sign-in session", text);
        Assert.Contains("Reason: ended by user", text);
        Assert.Contains("Key filter: ci-deploy", text);
        Assert.Contains("From: Nov 23, 2026 21:00", text);
        var body = page.Find(".mud-table-body").InnerHtml;
        Assert.DoesNotContain(sessionId, body);
        Assert.DoesNotContain(key.Key.Id, body);
        Assert.DoesNotContain("{", text);
    }

    private void SignIn(string role)
    {
        var user = role switch { Roles.Owner => Database.Owner, Roles.Admin => Database.Admin, _ => Database.Member };
        this.SignInAs(Database, user, role);
    }

    /// <summary>Presses Export CSV (the session is recent: no question asked) and returns the address the download started from.</summary>
    private string Export(IRenderedComponent<AuditLogPage> page)
    {
        page.Button("Export CSV").Click();
        page.WaitForAssertion(() => Assert.Single(_module.Invocations["download"]));
        return (string)_module.Invocations["download"].Single().Arguments[0]!;
    }

    private static List<AngleSharp.Dom.IElement> Rows(IRenderedComponent<AuditLogPage> page) =>
        page.FindAll(".mud-table-body tr:has(time)").ToList();

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
