using Bunit;
using KeyDashboard.Keys;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace KeyDashboard.Tests.Keys.Components;

/// <summary>Creating a live key more than 15 minutes after signing in: the password first, then the key.</summary>
public sealed class CreateKeyDialogReauthenticationTests : ComponentTestContext
{
    [Fact]
    public async Task A_live_key_asks_for_the_password_then_is_created()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        var (dialog, reference) = await OpenLiveKeyFormAsync("prod-main-app");

        dialog.Find("form#create-key-form").Submit();

        dialog.WaitForElement("form#reauthentication-form");
        Assert.Contains("Confirm it's you", dialog.Find("#reauthentication-title").TextContent);
        Assert.Empty(await KeyRowsAsync());

        dialog.Field("Password").Input(TestWorld.Password);
        dialog.Find("form#reauthentication-form").Submit();

        var issued = Assert.IsType<IssuedKey>((await reference.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Data);
        Assert.StartsWith("kd_live_", issued.Secret);
        var row = Assert.Single(await KeyRowsAsync());
        Assert.Equal(("prod-main-app", KeyEnvironment.Live), (row.Name, row.Environment));
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("form")));
    }

    [Fact]
    public async Task Cancelling_the_question_creates_nothing_and_keeps_the_form_with_the_reason()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Database.Clock.Advance(TimeSpan.FromMinutes(16));
        var (dialog, reference) = await OpenLiveKeyFormAsync("prod-main-app");
        dialog.Find("form#create-key-form").Submit();
        dialog.WaitForElement("form#reauthentication-form");

        dialog.FindAll("button").Last(b => b.TextContent.Trim() == "Cancel").Click();

        dialog.WaitForAssertion(() => Assert.Contains(dialog.FindAll(".mud-alert"), a => a.TextContent.Trim() == "Confirm it's you to continue."));
        Assert.Empty(dialog.FindAll("form#reauthentication-form"));
        Assert.False(reference.Result.IsCompleted);
        Assert.Equal("prod-main-app", dialog.Field("Name").GetAttribute("value"));
        Assert.Empty(await KeyRowsAsync());
    }

    [Fact]
    public async Task Within_fifteen_minutes_of_signing_in_nothing_is_asked()
    {
        this.SignInAs(Database, Database.Owner, Roles.Owner);
        Database.Clock.Advance(TimeSpan.FromMinutes(14));
        var (dialog, reference) = await OpenLiveKeyFormAsync("prod-main-app");

        dialog.Find("form#create-key-form").Submit();

        Assert.IsType<IssuedKey>((await reference.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Data);
        Assert.DoesNotContain("Confirm it's you", dialog.Markup);
    }

    private async Task<(IRenderedComponent<MudDialogProvider>, IDialogReference)> OpenLiveKeyFormAsync(string name)
    {
        var (dialog, reference) = await this.OpenDialogAsync(new DialogParameters<CreateKeyDialog>());
        dialog.WaitForElement("form#create-key-form");
        dialog.Field("Name").Input(name);
        dialog.Choice("live").Click();
        dialog.Find("input[aria-label='Read keys']").Change(true);
        return (dialog, reference);
    }

    private async Task<List<ApiKey>> KeyRowsAsync()
    {
        await using var db = await Database.DbFactory.CreateDbContextAsync();
        return await db.ApiKeys.AsNoTracking().ToListAsync();
    }
}
