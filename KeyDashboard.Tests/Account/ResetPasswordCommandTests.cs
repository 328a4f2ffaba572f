using System.Diagnostics;
using System.Net;
using KeyDashboard.Audit;
using KeyDashboard.Components.Account;
using KeyDashboard.Tests.TestSupport;
using KeyDashboard.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace KeyDashboard.Tests.Account;

/// <summary>
/// <c>dotnet KeyDashboard.dll reset-password someone@example.com</c>, run as the server's operator runs it: the built
/// app as its own process, on the same data folder as a running app.
/// </summary>
public sealed class ResetPasswordCommandTests : IAsyncLifetime
{
    private const string NewPassword = "A-new-password-from-the-link-3";
    private readonly KeyDashboardFactory _app = new();

    [Fact]
    public async Task The_printed_link_resets_the_password_once_and_the_issue_is_audited_without_the_link()
    {
        var user = await _app.AddMemberAsync(Roles.Owner);

        var run = await RunAsync(AccountCommands.ResetPassword, user.Email!, "--base-url", "http://localhost");

        Assert.Equal((0, ""), (run.ExitCode, run.Error));
        var link = new Uri(run.Output.Trim());
        Assert.Equal("/Account/ResetPassword", link.AbsolutePath);
        var reset = await ResetAsync(_app.CreateBrowser(), link, user.Email!, NewPassword);
        Assert.Equal("/Account/ResetPasswordConfirmation", reset.RedirectPath());
        await _app.CreateBrowser().SignInOrFailAsync(user.Email!, NewPassword);
        var again = await ResetAsync(_app.CreateBrowser(), link, user.Email!, "Yet-another-password-4");
        Assert.Null(again.RedirectPath());
        Assert.Contains("Invalid token", await again.Content.ReadAsStringAsync());
        await _app.CreateBrowser().SignInOrFailAsync(user.Email!, NewPassword);

        var issued = Assert.Single(await _app.AuditEntriesAsync(AuditActions.PasswordResetLinkIssued));
        Assert.Equal((_app.World.Workspace.Id, AuditActorType.System, SignInAudit.OperatorName, "user", user.Id, user.Email),
            (issued.WorkspaceId!.Value, issued.ActorType, issued.ActorName!, issued.TargetType!, issued.TargetId!, issued.TargetName));
        Assert.Null(issued.ActorId);
        var code = link.Query.Split("code=")[1];
        Assert.All(await _app.AuditEntriesAsync(), e => Assert.DoesNotContain(code, System.Text.Json.JsonSerializer.Serialize(e)));
    }

    [Fact]
    public async Task An_unknown_address_is_an_error_and_issues_nothing()
    {
        var run = await RunAsync(AccountCommands.ResetPassword, "nobody@acme.test", "--base-url", "http://localhost");

        Assert.Equal((1, ""), (run.ExitCode, run.Output));
        Assert.Contains("No account has the address nobody@acme.test.", run.Error);
        Assert.Empty(await _app.AuditEntriesAsync(AuditActions.PasswordResetLinkIssued));
    }

    [Theory]
    [InlineData("owner@acme.test")]
    [InlineData("owner@acme.test --base-url ftp://keys.example.com")]
    [InlineData("--base-url https://keys.example.com")]
    [InlineData("owner@acme.test admin@acme.test --base-url https://keys.example.com")]
    public async Task Without_one_address_or_a_web_base_url_it_says_how_to_call_it_and_issues_nothing(string commandLine)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var (output, error) = (new StringWriter(), new StringWriter());

        var exitCode = await AccountCommands.ResetPasswordAsync(scope.ServiceProvider, commandLine.Split(' '), output, error);

        Assert.Equal((2, ""), (exitCode, output.ToString()));
        Assert.NotEmpty(error.ToString());
        Assert.Empty(await _app.AuditEntriesAsync(AuditActions.PasswordResetLinkIssued));
    }

    private static async Task<HttpResponseMessage> ResetAsync(HttpClient browser, Uri link, string email, string password) =>
        await browser.SubmitFormAsync(link.PathAndQuery, "reset-password", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    private sealed record Run(int ExitCode, string Output, string Error);

    /// <summary>The built app, <c>dotnet KeyDashboard.dll …</c>, on this test's data folder.</summary>
    private async Task<Run> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KeyDashboard.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["KeyDashboard__DataDirectory"] = _app.DataDirectory;
        foreach (var (key, value) in WorldDatabaseCopies.Settings(_app.DataDirectory)) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new(process.ExitCode, await output, await error);
    }

    // The app's Data Protection key ring exists before the command runs, as it does on a server that has served
    // anyone: the command then signs its token with the key the app will check it with.
    public async Task InitializeAsync() => Assert.Equal(HttpStatusCode.OK, (await _app.CreateBrowser().GetAsync("/Account/Login")).StatusCode);

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
