using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

public sealed class RotateKeyDialogTests : ComponentTestContext
{
    private const string NoGrace = "No grace period: the old secret stops now";

    [Fact]
    public async Task Offers_the_four_grace_periods_and_reminds_to_tell_the_owner()
    {
        var issued = await Database.CreateKeyAsync(WorldKeys.KeyRequest() with { OwnerUserId = Database.Member.Id });
        this.SignInAs(Database, Database.Admin, Roles.Admin);

        var (dialog, _) = await OpenAsync(issued.Key);

        var choices = dialog.FindAll("label.mud-radio").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal([NoGrace, "1 hour", "24 hours", "7 days"], choices);
        Assert.True(dialog.Choice("24 hours").IsChecked());
        Assert.Contains("Tell the key's technical owner (member@acme.test) first", dialog.Markup);
    }

    [Theory]
    [InlineData(NoGrace, 0)]
    [InlineData("1 hour", 1)]
    [InlineData("24 hours", 24)]
    [InlineData("7 days", 7 * 24)]
    public async Task Rotating_issues_a_new_secret_and_keeps_the_old_one_for_the_chosen_grace(string grace, int hours)
    {
        var original = await Database.CreateKeyAsync(WorldKeys.KeyRequest(owner: Database.Member));
        Database.Clock.Advance(TimeSpan.FromDays(3));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(original.Key);

        dialog.Choice(grace).Click();
        dialog.Button("Rotate").Click();

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(10));
        var rotated = Assert.IsType<IssuedKey>(result!.Data);
        Assert.Equal(original.Key.Id, rotated.Key.Id);
        Assert.NotEqual(original.Secret, rotated.Secret);
        var row = await Database.KeyRowAsync(original.Key.Id);
        Assert.Equal(Database.Hasher.Hash(rotated.Secret), row.SecretHash);
        Assert.Equal(hours == 0 ? null : Database.Clock.GetUtcNow().AddHours(hours), row.PreviousSecretValidUntil);
    }

    [Fact]
    public async Task The_status_then_shows_until_when_the_old_secret_works()
    {
        var original = await Database.CreateKeyAsync();
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        var (dialog, reference) = await OpenAsync(original.Key);
        dialog.Choice("7 days").Click();
        dialog.Button("Rotate").Click();
        var rotated = (IssuedKey)(await reference.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Data!;

        var chip = Render<KeyStatusChip>(ps => ps.Add(c => c.Key, rotated.Key));

        var caption = chip.Find(".mud-typography-caption");
        Assert.Equal("old secret valid until Nov 30, 2026 12:00 UTC", string.Join(' ', caption.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("2026-11-30 12:00:00 UTC", caption.QuerySelector("time[title]")!.GetAttribute("title"));
    }

    [Fact]
    public async Task A_member_is_refused_and_the_key_is_unchanged()
    {
        var original = await Database.CreateKeyAsync();
        this.SignInAs(Database, Database.Member, Roles.Member);
        var (dialog, reference) = await OpenAsync(original.Key);

        dialog.Button("Rotate").Click();

        dialog.WaitForAssertion(() => Assert.Contains(dialog.FindAll(".mud-alert"), a => a.TextContent.Trim() == "Only owners and admins can manage API keys."));
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal(Database.Hasher.Hash(original.Secret), (await Database.KeyRowAsync(original.Key.Id)).SecretHash);
    }

    [Fact]
    public async Task A_key_rotated_by_someone_else_since_it_was_shown_is_not_rotated_again()
    {
        var original = await Database.CreateKeyAsync(WorldKeys.KeyRequest(owner: Database.Admin));
        this.SignInAs(Database, Database.Admin, Roles.Admin);
        var (dialog, reference) = await OpenAsync(original.Key);
        var meanwhile = await Database.KeyService().RotateAsync(Database.ActorFor(Database.Owner), Database.Workspace.Id, original.Key.Id, RotationGrace.SevenDays);

        dialog.Choice("No grace period: the old secret stops now").Click();
        dialog.Button("Rotate").Click();

        dialog.WaitForAssertion(() => Assert.Contains(dialog.FindAll(".mud-alert"), a => a.TextContent.Trim() == ApiKeyService.KeyChanged));
        Assert.False(reference.Result.IsCompleted);
        var row = await Database.KeyRowAsync(original.Key.Id);
        Assert.Equal(Database.Hasher.Hash(meanwhile.Value!.Secret), row.SecretHash);
        Assert.Equal(Database.Hasher.Hash(original.Secret), row.PreviousSecretHash);
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync(KeySummary key)
    {
        var opened = await this.OpenDialogAsync(new DialogParameters<RotateKeyDialog> { { d => d.Key, key } });
        opened.Provider.WaitForElement(".mud-dialog");
        return opened;
    }
}
