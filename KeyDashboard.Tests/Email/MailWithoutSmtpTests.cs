using System.Net;
using KeyDashboard.Email;
using KeyDashboard.Members;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyDashboard.Tests.Email;

/// <summary>
/// Without a mail server: in Development every message is an .eml file in the data folder's <c>mail/</c>; anywhere else
/// nothing is sent, and no page promises an e-mail.
/// </summary>
public sealed class MailWithoutSmtpTests
{
    [Fact]
    public async Task In_development_a_password_reset_is_an_eml_file_in_the_data_folders_mail_folder()
    {
        await using var app = new KeyDashboardFactory { Environment = "Development" };
        var browser = app.CreateBrowser();

        var asked = await browser.SubmitFormAsync("/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = app.World.Member.Email! });

        Assert.Equal("/Account/ForgotPasswordConfirmation", asked.RedirectPath());
        var folder = new MailFolder(Path.Combine(app.DataDirectory, MailDispatcher.FolderName));
        var message = Assert.Single(await folder.WaitForAsync(app.World.Member.Email!));
        Assert.Equal("Reset your KeyDashboard password", message.Subject);
        Assert.Equal("/Account/ResetPassword", Mail.LinkIn(message).AbsolutePath);
    }

    [Fact]
    public async Task In_production_the_forgot_password_page_promises_no_email_and_sends_none()
    {
        await using var app = new KeyDashboardFactory { Environment = "Production" };
        var browser = app.CreateBrowser();

        var page = await browser.GetStringAsync("/Account/ForgotPassword");
        var confirmation = await browser.GetStringAsync("/Account/ForgotPasswordConfirmation");

        Assert.Contains("This server doesn't send e-mail. Ask its operator for a password reset link.", WebUtility.HtmlDecode(page));
        Assert.DoesNotContain("name=\"_handler\" value=\"forgot-password\"", page);
        Assert.DoesNotContain("check your email", confirmation, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(MailDelivery.None, app.Services.GetRequiredService<MailQueue>().Delivery);
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, MailDispatcher.FolderName)));
    }

    [Fact]
    public async Task In_production_an_invitation_is_not_emailed_and_says_so()
    {
        await using var app = new KeyDashboardFactory { Environment = "Production" };

        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MembershipService>().InviteAsync(
            app.ActorFor(app.World.Owner), app.World.Workspace.Id, new InviteRequest("someone@example.test", Roles.Member), "http://localhost/");

        Assert.True(result.Succeeded, result.Message);
        Assert.False(result.Value!.Emailed);
    }

    [Fact]
    public async Task A_mail_server_that_is_down_fails_no_action_and_its_error_is_logged_without_the_link()
    {
        var logs = new LogRecorder();
        await using var app = new KeyDashboardFactory
        {
            Settings = new Dictionary<string, string>
            {
                ["KeyDashboard:Email:Smtp:Host"] = "127.0.0.1",
                ["KeyDashboard:Email:Smtp:Port"] = SmtpSink.FreePort().ToString(),
                ["KeyDashboard:Email:Smtp:Security"] = "None",
                ["KeyDashboard:Email:Smtp:From"] = "keys@keydashboard.test",
            },
            ConfigureServices = services => services.AddLogging(logging => logging.AddProvider(logs)),
        };
        var browser = app.CreateBrowser();

        var asked = await browser.SubmitFormAsync("/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = app.World.Member.Email! });
        await using var scope = app.Services.CreateAsyncScope();
        var invited = await scope.ServiceProvider.GetRequiredService<MembershipService>().InviteAsync(
            app.ActorFor(app.World.Owner), app.World.Workspace.Id, new InviteRequest("someone@example.test", Roles.Member), "http://localhost/");

        Assert.Equal("/Account/ForgotPasswordConfirmation", asked.RedirectPath());
        Assert.True(invited.Succeeded, invited.Message);
        var failures = await logs.WaitForAsync(line => line.Contains("could not be sent"), count: 2);
        Assert.All(failures, line => Assert.DoesNotContain(invited.Value!.Token, line));
        Assert.All(failures, line => Assert.DoesNotContain("code=", line));
    }
}
