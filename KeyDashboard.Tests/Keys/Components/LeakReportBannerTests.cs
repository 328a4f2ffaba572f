using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class LeakReportBannerTests : ComponentTestContext
{
    [Theory]
    [InlineData(Roles.Owner)]
    [InlineData(Roles.Admin)]
    public async Task Owners_and_admins_are_told_which_keys_a_leak_report_revoked_with_a_link_to_each(string role)
    {
        var first = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app"));
        var second = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-integration"));
        await ReportAsync(first.Secret, second.Secret);
        this.SignInAs(Database, role == Roles.Owner ? Database.Owner : Database.Admin, role);

        var banner = Render<LeakReportBanner>();

        banner.WaitForAssertion(() => Assert.Contains("2 keys were reported as leaked and revoked", banner.Markup));
        var links = banner.FindAll("a").ToDictionary(a => a.TextContent.Trim(), a => a.GetAttribute("href"));
        Assert.Equal($"keys/{first.Key.Id}", links["prod-main-app"]);
        Assert.Equal($"keys/{second.Key.Id}", links["crm-integration"]);
        Assert.Contains(first.Key.DisplayPrefix, banner.Markup);
        Assert.DoesNotContain(first.Secret, banner.Markup);
    }

    [Fact]
    public async Task A_member_is_not_shown_the_banner_and_the_service_refuses_them()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app"));
        await ReportAsync(issued.Secret);
        this.SignInAs(Database, Database.Member, Roles.Member);

        var banner = Render<LeakReportBanner>();

        Assert.Empty(banner.FindAll(".mud-alert"));
        var asMember = await Notices.UnseenAsync(Database.ActorFor(Database.Member), Database.Workspace.Id);
        Assert.Equal(OperationStatus.Forbidden, asMember.Status);
    }

    [Fact]
    public async Task Dismissing_hides_it_for_that_person_only_and_a_later_report_shows_at_once()
    {
        var first = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app"));
        var later = await Database.CreateKeyAsync(WorldKeys.KeyRequest("crm-integration"));
        await ReportAsync(first.Secret);
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var banner = Render<LeakReportBanner>();
        banner.WaitForAssertion(() => Assert.Contains("1 key was reported as leaked and revoked", banner.Markup));

        banner.Button("Dismiss").Click();

        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll(".mud-alert")));
        Assert.Single((await Notices.UnseenAsync(Database.ActorFor(Database.Admin), Database.Workspace.Id)).Value!);
        var seen = Assert.Single(await Database.AuditEntriesAsync(AuditActions.LeakReportsSeen));
        Assert.Equal(Database.Owner.Id, seen.ActorId);

        await ReportAsync(later.Secret); // while the page is open

        banner.WaitForAssertion(() => Assert.Contains("1 key was reported as leaked and revoked", banner.Markup));
        Assert.Equal(["crm-integration"], banner.FindAll("a").Select(a => a.TextContent.Trim()));
    }

    [Fact]
    public async Task Another_workspaces_leaks_are_not_shown()
    {
        var other = await Database.CreateKeyAsync(WorldKeys.KeyRequest("other-app"), by: Database.OtherAdmin, workspace: Database.OtherWorkspace);
        await ReportAsync(other.Secret);
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var banner = Render<LeakReportBanner>();

        Assert.Empty(banner.FindAll(".mud-alert"));
        Assert.Single((await Notices.UnseenAsync(Database.ActorFor(Database.OtherAdmin), Database.OtherWorkspace.Id)).Value!);
    }

    [Fact]
    public async Task Reports_older_than_the_banners_window_are_not_shown()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("long-ago"));
        await ReportAsync(issued.Secret);
        Database.Clock.Advance(TimeSpan.FromDays(LeakReportNotices.ShownForDays + 1));

        Assert.Empty((await Notices.UnseenAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id)).Value!);
    }

    private LeakReportNotices Notices => Database.Services.GetRequiredService<LeakReportNotices>();

    private async Task ReportAsync(params string[] secrets) =>
        Assert.Equal(secrets.Length, await Database.Services.GetRequiredService<LeakReports>().RevokeAsync(secrets, "203.0.113.9"));
}
