using KeyDashboard.Audit;
using KeyDashboard.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;

namespace KeyDashboard.Tests.Audit;

/// <summary>Sign-ins over a real Kestrel port, so requests come from a real client address (127.0.0.1).</summary>
public sealed partial class SignInAuditTests(SignInAuditTests.AppOnKestrel app) : IClassFixture<SignInAuditTests.AppOnKestrel>
{
    private const string WrongPassword = "Wrong-password-never-stored-7";
    private const string ClientAddress = "127.0.0.1";

    [Fact]
    public async Task A_sign_in_is_recorded_in_every_workspace_the_user_belongs_to_with_the_client_address()
    {
        var user = await app.AddMemberAsync(Roles.Member);
        await app.AddMembershipAsync(app.World.OtherWorkspace, user, Roles.Admin);

        await app.CreateBrowser().SignInOrFailAsync(user.Email!);

        var entries = await EntriesForAsync(user.Email!);
        Assert.Equal(new[] { app.World.Workspace.Id, app.World.OtherWorkspace.Id }.Order(), entries.Select(e => e.WorkspaceId!.Value).Order());
        Assert.All(entries, e =>
        {
            Assert.Equal(AuditActions.SignedIn, e.Action);
            Assert.Equal((AuditActorType.User, user.Id, ClientAddress), (e.ActorType, e.ActorId!, e.ClientAddress!));
        });
    }

    [Fact]
    public async Task A_wrong_password_is_recorded_for_the_account_and_the_password_is_not()
    {
        var user = await app.AddMemberAsync(Roles.Admin);

        await app.CreateBrowser().SignInAsync(user.Email!, WrongPassword);

        var entry = Assert.Single(await EntriesForAsync(user.Email!));
        Assert.Equal((AuditActions.SignInFailed, app.World.Workspace.Id, user.Id, ClientAddress),
            (entry.Action, entry.WorkspaceId!.Value, entry.ActorId!, entry.ClientAddress!));
        await AssertNoEntryContainsAsync(WrongPassword);
    }

    [Fact]
    public async Task An_unknown_email_is_recorded_in_no_workspace_with_only_what_was_typed_shortened()
    {
        var typed = $"nobody-{Guid.NewGuid():N}@" + new string('x', 120) + ".example.com";

        await app.CreateBrowser().SignInAsync(typed, WrongPassword);

        var entry = Assert.Single(await app.AuditEntriesAsync(), e => e.ActorName?.StartsWith(typed[..40]) == true);
        Assert.Equal(AuditActions.SignInFailed, entry.Action);
        Assert.Null(entry.WorkspaceId);
        Assert.Null(entry.ActorId);
        Assert.Equal(SignInAudit.AttemptedEmailLength, entry.ActorName!.Length);
        Assert.Equal(typed[..(SignInAudit.AttemptedEmailLength - 1)] + "…", entry.ActorName);
        Assert.Equal((null, null, null, null), (entry.TargetType, entry.TargetId, entry.TargetName, entry.Details));
        await AssertNoEntryContainsAsync(WrongPassword);
    }

    [Fact]
    public async Task With_two_factor_sign_in_the_second_step_is_what_gets_recorded()
    {
        var user = await app.AddMemberAsync(Roles.Member);
        string recoveryCode;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            await users.ResetAuthenticatorKeyAsync(stored);
            await users.SetTwoFactorEnabledAsync(stored, true);
            recoveryCode = (await users.GenerateNewTwoFactorRecoveryCodesAsync(stored, 1))!.Single();
        }
        var browser = app.CreateBrowser();

        var password = await browser.SignInAsync(user.Email!);
        Assert.Equal("/Account/LoginWith2fa", password.RedirectPath());
        await browser.SubmitFormAsync("/Account/LoginWithRecoveryCode", "login-with-recovery-code", new() { ["Input.RecoveryCode"] = "WRONG-CODE" });
        var signedIn = await browser.SubmitFormAsync("/Account/LoginWithRecoveryCode", "login-with-recovery-code", new() { ["Input.RecoveryCode"] = recoveryCode });

        Assert.Equal("/", signedIn.RedirectPath());
        var entries = await EntriesForAsync(user.Email!);
        Assert.Equal([AuditActions.SignInFailed, AuditActions.SignedIn], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("{\"method\":\"recovery code\"}", e.Details));
        await AssertNoEntryContainsAsync(recoveryCode);
    }

    [Fact]
    public async Task A_sign_out_is_recorded_and_signing_in_and_out_changes_no_earlier_entry()
    {
        var user = await app.AddMemberAsync(Roles.Owner);
        var before = await app.AuditEntriesAsync();
        var browser = app.CreateBrowser();
        await browser.SignInOrFailAsync(user.Email!);

        // The user menu's form: the return address and the antiforgery token any of the user's pages carries.
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/Account/Manage")).Groups["token"].Value;
        var logout = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ReturnUrl"] = "",
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token),
        }));

        Assert.Equal("/", logout.RedirectPath());
        Assert.Equal([AuditActions.SignedIn, AuditActions.SignedOut], (await EntriesForAsync(user.Email!)).Select(e => e.Action));
        var after = await app.AuditEntriesAsync();
        Assert.Equal(Json(before), Json(after.Take(before.Count)));
    }

    private async Task<List<AuditEntry>> EntriesForAsync(string email) =>
        (await app.AuditEntriesAsync()).Where(e => e.ActorName == email).ToList();

    private async Task AssertNoEntryContainsAsync(string text)
    {
        foreach (var entry in await app.AuditEntriesAsync())
            Assert.DoesNotContain(text, Json([entry]));
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryToken();

    private static string Json(IEnumerable<AuditEntry> entries) => System.Text.Json.JsonSerializer.Serialize(entries);

    public sealed class AppOnKestrel : KeyDashboardFactory
    {
        public AppOnKestrel() => OnKestrel = true;
    }
}
