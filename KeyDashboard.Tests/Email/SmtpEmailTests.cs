using System.Net;
using KeyDashboard.Keys;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Email;

/// <summary>Mail through a real SMTP server (aiosmtpd on 127.0.0.1): it arrives, in two parts, and its links work once.</summary>
public sealed class SmtpEmailTests(SmtpApp smtp) : IClassFixture<SmtpApp>
{
    private KeyDashboardFactory App => smtp.App;
    private MailFolder Received => smtp.Sink.Mail;

    [SmtpFact]
    public async Task An_invitation_arrives_with_its_link_and_the_link_accepts_once()
    {
        var email = $"invitee-{Guid.NewGuid():N}@example.test";
        await App.UpdateWorkspaceAsync(App.World.Workspace, w => w.Name = "Acme <b>& Co</b>");
        try
        {
            var outcome = await InviteAsync(email);

            var message = Assert.Single(await Received.WaitForAsync(email));
            var link = Mail.LinkIn(message);
            Assert.True(outcome.Emailed);
            Assert.Equal(App.BaseAddress.Authority, link.Authority);
            Assert.Contains("Acme <b>& Co</b>", message.TextBody);
            Assert.Contains("Acme &lt;b&gt;&amp; Co&lt;/b&gt;", message.HtmlBody);
            Assert.DoesNotContain("<b>", message.HtmlBody);
            Assert.Equal("keys@keydashboard.test", message.From.Mailboxes.Single().Address);

            var browser = App.CreateBrowser();
            var accepted = await browser.SubmitFormAsync(link.PathAndQuery, "create-account", new()
            {
                ["Input.Password"] = "Invitee-password-1",
                ["Input.ConfirmPassword"] = "Invitee-password-1",
            });
            Assert.Equal("/", accepted.RedirectPath());
            Assert.Contains("not valid", await App.CreateBrowser().GetStringAsync(link.PathAndQuery));
        }
        finally
        {
            await App.UpdateWorkspaceAsync(App.World.Workspace, w => w.Name = "Acme");
        }
    }

    [SmtpFact]
    public async Task A_password_reset_arrives_and_its_link_resets_the_password_once()
    {
        var user = await App.AddMemberAsync(Roles.Member);
        var browser = App.CreateBrowser();

        var asked = await browser.SubmitFormAsync("/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = user.Email! });

        Assert.Equal("/Account/ForgotPasswordConfirmation", asked.RedirectPath());
        Assert.Contains("Please check your email", await browser.GetStringAsync("/Account/ForgotPasswordConfirmation"));
        var message = Assert.Single(await Received.WaitForAsync(user.Email!));
        var link = Mail.LinkIn(message);
        Assert.Equal("/Account/ResetPassword", link.AbsolutePath);
        Assert.DoesNotContain(TestWorld.Password, message.TextBody + message.HtmlBody);

        var reset = await ResetAsync(link, user.Email!, "Brand-new-password-1");
        Assert.Equal("/Account/ResetPasswordConfirmation", reset.RedirectPath());
        Assert.Equal("/", (await App.CreateBrowser().SignInAsync(user.Email!, "Brand-new-password-1")).RedirectPath());

        var again = await ResetAsync(link, user.Email!, "Attackers-password-1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Invalid token", await again.Content.ReadAsStringAsync());
        Assert.NotEqual("/", (await App.CreateBrowser().SignInAsync(user.Email!, "Attackers-password-1")).RedirectPath());
    }

    [SmtpFact]
    public async Task An_email_change_is_confirmed_through_the_link_sent_to_the_new_address_once()
    {
        var user = await App.AddMemberAsync(Roles.Member);
        var newEmail = $"moved-{Guid.NewGuid():N}@example.test";
        var browser = App.CreateBrowser();
        await browser.SignInOrFailAsync(user.Email!);

        await browser.SubmitFormAsync("/Account/Manage/Email", "change-email", new() { ["Input.NewEmail"] = newEmail });

        var message = Assert.Single(await Received.WaitForAsync(newEmail));
        Assert.Equal("Confirm your new e-mail address for KeyDashboard", message.Subject);
        var link = Mail.LinkIn(message);
        Assert.Contains("Thank you for confirming your email change.", await browser.GetStringAsync(link.PathAndQuery));
        Assert.Equal("/", (await App.CreateBrowser().SignInAsync(newEmail)).RedirectPath());
        Assert.Contains("Error changing email.", await browser.GetStringAsync(link.PathAndQuery));
        Assert.Empty(Received.To(user.Email!));
    }

    [SmtpFact]
    public async Task An_address_without_an_account_gets_no_reset_email_and_the_same_answer()
    {
        var nobody = $"nobody-{Guid.NewGuid():N}@example.test";
        var marker = await App.AddMemberAsync(Roles.Member);
        var browser = App.CreateBrowser();

        var asked = await browser.SubmitFormAsync("/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = nobody });
        // Sent after the first request: once it arrives, a message to the first address would have too (one queue, in order).
        await browser.SubmitFormAsync("/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = marker.Email! });
        await Received.WaitForAsync(marker.Email!);

        Assert.Equal("/Account/ForgotPasswordConfirmation", asked.RedirectPath());
        Assert.Empty(Received.To(nobody));
    }

    [SmtpFact]
    public async Task The_owner_of_a_key_revoked_by_someone_else_is_told_and_no_one_is_told_of_their_own_revocation()
    {
        var owner = await App.AddMemberAsync(Roles.Admin);
        var own = await App.CreateKeyAsync(WorldKeys.KeyRequest("own-key", owner: owner), by: owner);
        var theirs = await App.CreateKeyAsync(WorldKeys.KeyRequest("revoked-by-the-owner <i>", owner: owner));

        await using var scope = App.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        Assert.True((await keys.RevokeAsync(App.ActorFor(owner), App.World.Workspace.Id, own.Key.Id, "rotating it out")).Succeeded);
        Assert.True((await keys.RevokeAsync(App.ActorFor(App.World.Owner), App.World.Workspace.Id, theirs.Key.Id, "left the project")).Succeeded);

        // The dispatcher sends in order: once the second notice is here, a notice of the first revocation would be too.
        var message = Assert.Single(await Received.WaitForAsync(owner.Email!));
        Assert.Equal("Your API key revoked-by-the-owner <i> was revoked", message.Subject);
        Assert.Contains("left the project", message.TextBody);
        Assert.Contains(App.World.Owner.Email!, message.TextBody);
        Assert.Contains("revoked-by-the-owner &lt;i&gt;", message.HtmlBody);
        Assert.Contains(theirs.Key.DisplayPrefix, message.TextBody);
        Assert.DoesNotContain(theirs.Secret, message.TextBody + message.HtmlBody);
        Assert.DoesNotContain(Received.To(App.World.Owner.Email!), m => (m.Subject ?? "").Contains("revoked"));
    }

    [SmtpFact]
    public async Task The_owner_of_a_key_reported_as_leaked_is_told()
    {
        var owner = await App.AddMemberAsync(Roles.Admin);
        var key = await App.CreateKeyAsync(WorldKeys.KeyRequest("leaked-key", owner: owner));

        var reported = await App.Services.GetRequiredService<LeakReports>().RevokeAsync([key.Secret], "203.0.113.9");

        Assert.Equal(1, reported);
        var message = Assert.Single(await Received.WaitForAsync(owner.Email!));
        Assert.Equal("Your API key leaked-key was revoked", message.Subject);
        Assert.Contains(LeakReports.Reason, message.TextBody);
        Assert.DoesNotContain(key.Secret, message.TextBody + message.HtmlBody);
    }

    private async Task<InviteOutcome> InviteAsync(string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MembershipService>().InviteAsync(
            App.ActorFor(App.World.Owner), App.World.Workspace.Id, new InviteRequest(email, Roles.Member), App.BaseAddress.AbsoluteUri);
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    private Task<HttpResponseMessage> ResetAsync(Uri link, string email, string password) =>
        App.CreateBrowser().SubmitFormAsync(link.PathAndQuery, "reset-password", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
}
