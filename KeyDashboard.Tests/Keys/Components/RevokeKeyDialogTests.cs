using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class RevokeKeyDialogTests : ComponentTestContext
{
    [Fact]
    public async Task Shows_the_impact_and_that_it_cannot_be_undone()
    {
        var issued = await Database.CreateKeyAsync();
        await Database.UpdateKeyRowAsync(issued.Key.Id, k =>
        {
            k.LastUsedAt = Database.Clock.GetUtcNow().AddHours(-3);
            k.LastUsedFrom = "203.0.113.9";
        });
        await Database.AddUsageAsync(issued.Key.Id, (0, 40), (-1, 2), (-2, 1000));
        this.SignInAs(Database, Database.Admin, Roles.Admin);

        var (dialog, _) = await OpenAsync(issued.Key);

        var impact = dialog.WaitForElements("ul li", 2).Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(["Last used: 3 hours ago from 203.0.113.9", "Requests today and yesterday (UTC): 42"], impact);
        Assert.Contains("This cannot be undone.", dialog.Markup);
    }

    [Fact]
    public async Task A_test_key_needs_no_typed_confirmation()
    {
        var issued = await Database.CreateKeyAsync();
        this.SignInAs(Database, Database.Admin, Roles.Admin);

        var (dialog, _) = await OpenAsync(issued.Key);

        Assert.False(dialog.Button("Revoke").IsDisabled());
        Assert.DoesNotContain(dialog.FindAll("label[for]"), l => l.TextContent.Contains("to confirm"));
    }

    [Fact]
    public async Task A_live_key_is_revoked_only_after_its_name_is_typed()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, _) = await OpenAsync(issued.Key);
        Assert.True(dialog.Button("Revoke").IsDisabled());

        dialog.Field("Type prod-main-app to confirm").Input("prod-main");
        Assert.True(dialog.Button("Revoke").IsDisabled());

        dialog.Field("Type prod-main-app to confirm").Input("prod-main-app");
        Assert.False(dialog.Button("Revoke").IsDisabled());
    }

    [Fact]
    public async Task Revoking_takes_effect_at_once_with_the_reason_recorded()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest("prod-main-app") with { Environment = KeyEnvironment.Live });
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(issued.Key);

        dialog.Field("Reason").Change("leaked in a support ticket");
        dialog.Field("Type prod-main-app to confirm").Input("prod-main-app");
        dialog.Button("Revoke").Click();

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result!.Canceled);
        var row = await Database.KeyRowAsync(issued.Key.Id);
        Assert.Equal(Database.Clock.GetUtcNow(), row.RevokedAt);
        Assert.Equal(Database.Admin.Id, row.RevokedByUserId);
        Assert.Equal("leaked in a support ticket", row.RevokedReason);
        Assert.False(await Database.IsUsableNowAsync(issued.Secret));
    }

    [Fact]
    public async Task A_member_is_refused_and_nothing_changes()
    {
        var issued = await Database.CreateKeyAsync();
        this.SignInAs(Database, Database.Member, Roles.Member);
        var (dialog, reference) = await OpenAsync(issued.Key);

        dialog.Field("Reason").Change("trying anyway");
        dialog.Button("Revoke").Click();

        dialog.WaitForAssertion(() => Assert.Contains(dialog.FindAll(".mud-alert"), a => a.TextContent.Trim() == "Only owners and admins can manage API keys."));
        Assert.False(reference.Result.IsCompleted);
        Assert.Null((await Database.KeyRowAsync(issued.Key.Id)).RevokedAt);
        Assert.True(await Database.IsUsableNowAsync(issued.Secret));
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync(KeySummary key)
    {
        var opened = await this.OpenDialogAsync(new DialogParameters<RevokeKeyDialog> { { d => d.Key, key } });
        opened.Provider.WaitForElement("ul li");
        return opened;
    }
}
