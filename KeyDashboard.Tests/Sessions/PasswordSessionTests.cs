using System.Text;
using KeyDashboard.Audit;
using KeyDashboard.Data;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Sessions;

/// <summary>Whoever signed in with the old password is signed out by a new one; a deleted account keeps no session.</summary>
public sealed class PasswordSessionTests(KeyDashboardFactory app) : IClassFixture<KeyDashboardFactory>
{
    private const string NewPassword = "A-new-password-2";

    [Fact]
    public async Task Changing_the_password_ends_the_other_sessions_and_keeps_this_one()
    {
        var user = await app.AddMemberAsync(Roles.Owner);
        var thief = await SessionBrowser.SignedInAsync(app, user.Email!, SessionBrowser.SafariOnIPhone);
        var laptop = await SessionBrowser.SignedInAsync(app, user.Email!);
        var laptopSession = await SessionOfAsync(user.Id, SessionBrowser.ChromeOnWindows);
        var bystander = await SessionBrowser.SignedInAsync(app, app.World.Admin.Email!);

        var response = await laptop.Client.SubmitFormAsync("/Account/Manage/ChangePassword", "change-password", new()
        {
            ["Input.OldPassword"] = TestWorld.Password,
            ["Input.NewPassword"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal("/Account/Manage/ChangePassword", response.RedirectPath());
        Assert.False(await SessionBrowser.IsSignedInAsync(thief.Client));
        Assert.True(await SessionBrowser.IsSignedInAsync(laptop.Client));
        Assert.True(await SessionBrowser.IsSignedInAsync(bystander.Client));
        // Identity's refresh renewed the ticket of the same session: a refresh is not a sign-in, its times stay.
        var after = await SessionOfAsync(user.Id, SessionBrowser.ChromeOnWindows);
        Assert.Equal(laptopSession.Id, after.Id);
        Assert.Equal(laptopSession.SignedInAt, after.SignedInAt);
        Assert.Equal(laptopSession.AuthenticatedAt, after.AuthenticatedAt);
        Assert.NotEqual(laptopSession.Ticket, after.Ticket);
        Assert.Single(await SessionsAsync(user.Id));
        var entry = Assert.Single(await EndedEntriesAsync(user.Id));
        Assert.Equal("{\"reason\":\"password_changed\"}", entry.Details);
    }

    [Fact]
    public async Task Resetting_the_password_ends_every_session()
    {
        var user = await app.AddMemberAsync(Roles.Admin);
        var thief = await SessionBrowser.SignedInAsync(app, user.Email!, SessionBrowser.SafariOnIPhone);
        var laptop = await SessionBrowser.SignedInAsync(app, user.Email!);
        var bystander = await SessionBrowser.SignedInAsync(app, app.World.Member.Email!);
        string code;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var token = await users.GeneratePasswordResetTokenAsync((await users.FindByEmailAsync(user.Email!))!);
            code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        }

        var response = await app.CreateBrowser().SubmitFormAsync($"/Account/ResetPassword?code={code}", "reset-password", new()
        {
            ["Input.Email"] = user.Email!,
            ["Input.Password"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal("/Account/ResetPasswordConfirmation", response.RedirectPath());
        Assert.False(await SessionBrowser.IsSignedInAsync(thief.Client));
        Assert.False(await SessionBrowser.IsSignedInAsync(laptop.Client));
        Assert.True(await SessionBrowser.IsSignedInAsync(bystander.Client));
        Assert.Empty(await SessionsAsync(user.Id));
        var entries = await EndedEntriesAsync(user.Id);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("{\"reason\":\"password_reset\"}", e.Details));
        await app.CreateBrowser().SignInOrFailAsync(user.Email!, NewPassword);
    }

    [Fact]
    public async Task Deleting_the_account_ends_every_session()
    {
        var user = await app.AddMemberAsync(Roles.Member);
        var phone = await SessionBrowser.SignedInAsync(app, user.Email!, SessionBrowser.SafariOnIPhone);
        var copied = SessionBrowser.Replaying(app, phone.SessionCookie);
        var laptop = await SessionBrowser.SignedInAsync(app, user.Email!);

        await laptop.Client.SubmitFormAsync("/Account/Manage/DeletePersonalData", "delete-user", new() { ["Input.Password"] = TestWorld.Password });

        Assert.Empty(await SessionsAsync(user.Id));
        Assert.False(await SessionBrowser.IsSignedInAsync(copied));
        Assert.False(await SessionBrowser.IsSignedInAsync(laptop.Client));
    }

    private async Task<List<KeyDashboard.Sessions.UserSession>> SessionsAsync(string userId)
    {
        await using var db = await app.DbFactory.CreateDbContextAsync();
        return await db.UserSessions.AsNoTracking().Where(s => s.UserId == userId).ToListAsync();
    }

    private async Task<KeyDashboard.Sessions.UserSession> SessionOfAsync(string userId, string userAgent) =>
        (await SessionsAsync(userId)).Single(s => s.UserAgent == userAgent);

    private async Task<List<AuditEntry>> EndedEntriesAsync(string userId) =>
        (await app.AuditEntriesAsync()).Where(e => e.ActorId == userId && e.Action == AuditActions.SessionEnded).ToList();
}
