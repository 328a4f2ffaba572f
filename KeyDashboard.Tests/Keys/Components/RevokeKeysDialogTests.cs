using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class RevokeKeysDialogTests : ComponentTestContext
{
    [Fact]
    public async Task Shows_how_many_keys_their_last_use_and_recent_requests_before_anything_happens()
    {
        var used = await Database.CreateKeyAsync(WorldKeys.KeyRequest("used"));
        var unused = await Database.CreateKeyAsync(WorldKeys.KeyRequest("unused"));
        await Database.UpdateKeyRowAsync(used.Key.Id, k => { k.LastUsedAt = Database.Clock.GetUtcNow().AddHours(-3); k.LastUsedFrom = "203.0.113.9"; });
        await Database.AddUsageAsync(used.Key.Id, (0, 40), (-1, 2), (-2, 1000));
        this.SignInAs(Database, Database.Admin, Roles.Admin);

        var (dialog, _) = await OpenAsync(used.Key, unused.Key);

        var rows = dialog.WaitForElements("tbody tr", 2).Select(Cells).ToList();
        Assert.Equal(["used", "test", "3 hours ago from 203.0.113.9", "42"], rows[0]);
        Assert.Equal(["unused", "test", "Never", "0"], rows[1]);
        Assert.Contains("42 requests today and yesterday (UTC) across 2 keys.", dialog.Markup);
        Assert.Contains("This cannot be undone.", dialog.Markup);
        Assert.Contains("Revoke 2 keys", dialog.Find(".mud-dialog-title").TextContent);
        Assert.DoesNotContain("live key", dialog.Markup);
        Assert.False(dialog.Button("Revoke 2 keys").IsDisabled());
        Assert.True(await Database.IsUsableNowAsync(used.Secret));
    }

    [Fact]
    public async Task Live_keys_are_called_out_and_must_be_acknowledged()
    {
        var live = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        var test = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (dialog, _) = await OpenAsync(live.Key, test.Key);

        dialog.WaitForElements("tbody tr", 2);
        Assert.Contains("1 live key among them: prod-main-app.", dialog.Markup);
        Assert.True(dialog.Button("Revoke 2 keys").IsDisabled());

        dialog.Choice("I understand that 1 live key stops working now").Change(true);

        Assert.False(dialog.Button("Revoke 2 keys").IsDisabled());
    }

    [Fact]
    public async Task Revoking_revokes_every_key_with_the_reason_and_closes_with_the_outcome()
    {
        var first = await Database.CreateKeyAsync(WorldKeys.KeyRequest("first"));
        var second = await Database.CreateKeyAsync(WorldKeys.KeyRequest("second"));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(first.Key, second.Key);
        dialog.WaitForElements("tbody tr", 2);

        dialog.Field("Reason").Change("Unused since the migration");
        dialog.Button("Revoke 2 keys").Click();

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(10));
        var outcome = Assert.IsType<BulkRevokeOutcome>(result!.Data);
        Assert.Equal(2, outcome.Revoked);
        Assert.False(await Database.IsUsableNowAsync(first.Secret));
        Assert.False(await Database.IsUsableNowAsync(second.Secret));
        Assert.All(await Database.AuditEntriesAsync(AuditActions.KeyRevoked), e => Assert.Contains("Unused since the migration", e.Details));
    }

    [Fact]
    public async Task A_refusal_is_shown_in_the_dialog_and_nothing_changes()
    {
        var key = await Database.CreateKeyAsync(WorldKeys.KeyRequest("ci-deploy"));
        // The member's page would not offer this; the service refuses regardless.
        this.SignInAs(Database, Database.Member, Roles.Member);
        var (dialog, _) = await OpenAsync(key.Key);
        dialog.WaitForElements("tbody tr", 1);

        dialog.Button("Revoke 1 key").Click();

        dialog.WaitForAssertion(() => Assert.Contains(Permissions.Refusal(Permission.ManageKeys), dialog.Markup));
        Assert.True(await Database.IsUsableNowAsync(key.Secret));
    }

    private Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync(params KeySummary[] keys) =>
        this.OpenDialogAsync(new DialogParameters<RevokeKeysDialog> { { d => d.Selected, keys } });

    private static List<string> Cells(IElement row) =>
        row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
}
