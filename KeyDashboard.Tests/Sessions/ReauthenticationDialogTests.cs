using AngleSharp.Dom;
using Bunit;
using KeyDashboard.Audit;
using KeyDashboard.Sessions;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KeyDashboard.Tests.Sessions;

public sealed class ReauthenticationDialogTests : ComponentTestContext
{
    [Fact]
    public async Task Asks_for_the_password_and_says_why()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (dialog, _) = await OpenAsync();

        Assert.Equal("Confirm it's you", dialog.Find("#reauthentication-title").TextContent.Trim());
        Assert.Contains("This action needs a recent sign-in, and yours is more than 15 minutes old.", dialog.Markup);
        var password = dialog.Field("Password");
        Assert.Equal(("password", "current-password"), (password.GetAttribute("type"), password.GetAttribute("autocomplete")));
        Assert.DoesNotContain("authenticator", dialog.Markup);
        Assert.True(dialog.Button("Confirm").IsDisabled());
    }

    [Fact]
    public async Task With_two_factor_on_it_says_a_code_from_the_authenticator_app_works_too()
    {
        await ReauthenticationTests.TurnOnTwoFactorAsync(Database, Database.Owner);
        this.SignInAs(Database, Database.Owner, Roles.Owner);

        var (dialog, _) = await OpenAsync();

        dialog.WaitForAssertion(() => Assert.Contains("Or a code from your authenticator app", dialog.Markup));
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_and_keeps_the_dialog_open_with_the_session_still_old()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        var (dialog, reference) = await OpenAsync();

        dialog.Field("Password").Input("Not-the-password-1");
        dialog.Find("form#reauthentication-form").Submit();

        dialog.WaitForAssertion(() => Assert.Contains("That password or code is not right.", dialog.Markup));
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal("", dialog.Field("Password").GetAttribute("value") ?? "");
        Assert.False(await IsRecentAsync());
        Assert.Equal(1, await EntriesAsync(AuditActions.ReauthenticationFailed));
    }

    [Fact]
    public async Task The_right_password_closes_the_dialog_and_the_session_is_recent_again()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.False(await IsRecentAsync());
        var (dialog, reference) = await OpenAsync();

        dialog.Field("Password").Input(TestWorld.Password);
        dialog.Find("form#reauthentication-form").Submit();

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result!.Canceled);
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("#reauthentication-title")));
        Assert.True(await IsRecentAsync());
        Assert.Equal(1, await EntriesAsync(AuditActions.Reauthenticated));
    }

    [Fact]
    public async Task Cancel_closes_it_and_confirms_nothing()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        var (dialog, reference) = await OpenAsync();

        dialog.Button("Cancel").Click();

        Assert.True((await reference.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Canceled);
        Assert.False(await IsRecentAsync());
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenAsync()
    {
        var opened = await this.OpenDialogAsync(new DialogParameters<ReauthenticationDialog>());
        opened.Provider.WaitForElement("form#reauthentication-form");
        return opened;
    }

    /// <summary>Whether the owner's session (the one <see cref="BunitSignIn.SignInAs"/> made) counts as recent now.</summary>
    private async Task<bool> IsRecentAsync()
    {
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        var session = await db.UserSessions.SingleAsync(s => s.UserId == Database.Owner.Id);
        var owner = new Actor(Database.Owner.Id, Database.Owner.Email!) { SessionId = session.Id };
        return await Database.Services.GetRequiredService<Reauthentication>().IsRecentAsync(owner);
    }

    private async Task<int> EntriesAsync(string action)
    {
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        return await db.AuditEntries.CountAsync(e => e.Action == action);
    }
}
